import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ErrorPage, KeptForm } from '../../views/error.tsx';
import { formBody } from './body.ts';
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
  if (databaseDown(err)) return new Unavailable();
  return null;
}

/** Drizzle wraps the driver's error (the one with the code) in `cause`. */
function databaseDown(err: unknown) {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && DB_DOWN.has(e.code)) return true;
  }
  return false;
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
  // The database was down before the route could render its form (e.g. reading the session): give the input back.
  if (known instanceof Unavailable && c.req.method === 'POST') {
    const values = await formBody(c).catch(() => ({}));
    if (Object.keys(values).length) return respond(c, 'Briefly unavailable', <KeptForm action={c.req.path} message={known.message} values={values} />, 503);
  }
  // Without a form to highlight them in, the field messages are the explanation.
  const message = known.fields ? Object.values(known.fields).join(' ') : known.message;
  return respond(c, 'Error', <ErrorPage status={status} message={message} />, status);
}
