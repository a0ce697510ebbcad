import type { Context } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
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

/**
 * 413 for a request body over `maxSize` bytes. A body that declares its length is judged by the
 * header alone and a GET or HEAD has none: hono's bodyLimit asks for `c.req.raw.body` first, which
 * makes @hono/node-server build a full web Request and stream for every request, GETs included
 * (a tenth of the app's CPU per order, decision 017). Only a chunked body is counted as it
 * streams, by hono's own middleware.
 */
export function bodyLimit(maxSize: number, message: string) {
  const tooLarge = () => {
    throw new AppError(413, 'payload_too_large', message);
  };
  const counted = honoBodyLimit({ maxSize, onError: tooLarge });
  return createMiddleware(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    return parseInt(length, 10) > maxSize ? tooLarge() : next();
  });
}
