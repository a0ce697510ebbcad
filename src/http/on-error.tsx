import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ErrorPage } from '../../views/error.tsx';
import type { AppEnv } from './env.ts';
import { AppError, Forbidden, Invalid, Unavailable } from './errors.ts';
import { respond } from './render.tsx';

const DB_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', '57P01', '57P02', '57P03', '08006', '08001', '08003']);

/** Maps any thrown error to the API's JSON shape or to a page (the form again, for a form route). */
function toAppError(err: Error): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 403) return new Forbidden('This request came from another site and was refused.');
    if (err.status === 413) return new AppError(413, 'payload_too_large', 'The request body is too large.');
    return new AppError(400, 'bad_request', err.message || 'Bad request.');
  }
  const code = (err as { code?: string }).code;
  if (code && DB_DOWN.has(code)) return new Unavailable();
  return null;
}

export async function onError(err: Error, c: Context<AppEnv>) {
  const known = toAppError(err);
  const api = c.req.path.startsWith('/api/');
  if (!known) {
    c.get('deps').log.error({ reqId: c.get('requestId'), err }, 'unhandled error');
    return api
      ? c.json({ error: { code: 'internal', message: 'Something went wrong on our side.' } }, 500)
      : respond(c, 'Error', <ErrorPage status={500} message="Something went wrong on our side. Please try again." />, 500);
  }
  for (const [k, v] of Object.entries(known.headers ?? {})) c.header(k, v);
  if (api) {
    const { code, message, fields } = known;
    return c.json({ error: fields ? { code, message, fields } : { code, message } }, known.status);
  }
  const render = c.get('renderForm');
  const status = known instanceof Invalid ? 422 : known.status;
  if (render && status !== 403) return respond(c, 'Please check the form', render(known), status);
  return respond(c, 'Error', <ErrorPage status={status} message={known.message} />, status);
}
