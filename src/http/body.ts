import type { Context } from 'hono';
import { AppError, Invalid } from './errors.ts';

/** The JSON body of an API request: 415 for another content type, 400 for malformed JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    throw new AppError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  try {
    return await c.req.json();
  } catch {
    throw new Invalid('The body is not valid JSON.');
  }
}

/** Form fields as plain strings (the last value wins for repeated names, except `multi`). */
export async function formBody(c: Context, multi: string[] = []): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    out[key] = multi.includes(key) ? list : (list.at(-1) ?? '');
  }
  return out;
}
