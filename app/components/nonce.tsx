import { createContext, useContext } from 'react';

/** The per-request CSP nonce; only the server render has it (the browser hides nonce attributes). */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
