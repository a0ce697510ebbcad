import type { z } from 'zod';
import { Invalid } from './errors.ts';

/** Parses input with a zod schema or throws `Invalid` with one message per field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    fields[key] ??= issue.message;
  }
  throw new Invalid('Please correct the highlighted fields.', fields);
}
