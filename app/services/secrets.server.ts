import { createHash, randomBytes } from 'node:crypto';

/** A random token for links and API keys: 256 bits, URL-safe. */
export const randomToken = (prefix = '') => `${prefix}${randomBytes(32).toString('base64url')}`;

/** Tokens are stored only as this hash, so a database leak gives no usable token. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
