import { z } from 'zod';

/** One schema for the sign-up password, used by the form, the action and the API. */
export const passwordSchema = z
  .string({ message: 'Password is required' })
  .min(10, 'Password must be at least 10 characters')
  .max(200, 'Password must be at most 200 characters')
  .refine((p) => new Set(p).size >= 5, 'Password is too repetitive: use at least 5 different characters')
  .refine((p) => !commonPasswords.has(p.toLowerCase()), 'Password is too common');

export const emailSchema = z
  .string({ message: 'Email is required' })
  .trim()
  .toLowerCase()
  .max(254, 'Email is too long')
  .pipe(z.email({ message: 'Email must be a valid address' }));

export const displayNameSchema = z
  .string({ message: 'Name is required' })
  .trim()
  .min(1, 'Name is required')
  .max(80, 'Name must be at most 80 characters');

const commonPasswords = new Set([
  'password123',
  'password1234',
  '1234567890',
  'qwertyuiop',
  'iloveyou123',
  'letmein1234',
  'welcome123',
  'administrator',
  'passw0rd123',
  'abcdefghij',
]);
