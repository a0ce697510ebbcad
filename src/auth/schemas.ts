import { z } from 'zod';
import { visibleText } from '../http/text.ts';

const email = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .toLowerCase()
  .max(254, 'An email address has at most 254 characters.')
  .pipe(z.email({ error: 'Enter a valid email address.' }));

export const phoneSchema = z
  .string({ error: 'Enter a phone number.' })
  .trim()
  .regex(/^\+?[0-9 ()\-.]{6,20}$/, 'Enter a phone number of 6 to 20 digits, spaces or dashes.');

export const signupSchema = z.object({
  name: visibleText('Name', 1, 100, 'Enter your name.'),
  email,
  phone: phoneSchema,
  password: z.string({ error: 'Choose a password.' }).min(8, 'A password has at least 8 characters.').max(200, 'A password has at most 200 characters.'),
});

export const loginSchema = z.object({
  email,
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(200),
});

export type SignupInput = z.infer<typeof signupSchema>;
export type LoginInput = z.infer<typeof loginSchema>;
