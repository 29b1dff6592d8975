import { describe, expect, it } from 'vitest';
import { signUpSchema } from '~/services/accounts.server';
import { parseForm } from './forms';

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.set(k, v);
  return data;
};

describe('parseForm', () => {
  it('returns the parsed values, normalising the email', () => {
    const result = parseForm(
      signUpSchema,
      form({ email: ' Ada@Example.COM ', displayName: 'Ada', password: 'correct horse battery' }),
    );
    expect(result).toEqual({
      ok: true,
      data: { email: 'ada@example.com', displayName: 'Ada', password: 'correct horse battery' },
    });
  });
  it('names each invalid field with a readable message', () => {
    const result = parseForm(signUpSchema, form({ email: 'nope', password: 'short' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.email).toBe('Email must be a valid address');
    expect(result.errors.password).toBe('Password must be at least 10 characters');
    expect(result.errors.displayName).toBe('Name is required');
  });
});
