import type { Context } from 'hono';
import { ErrorPage, KeptForm } from '../../views/error.tsx';
import { formBody } from './body.ts';
import type { AppEnv } from '../env.ts';
import { Invalid, Unavailable, toAppError } from './errors.ts';
import { respond } from './render.tsx';

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
  const status = known instanceof Invalid ? 422 : known.status;
  // The database was down before a route could render its form (e.g. reading the session): give the input back.
  if (known instanceof Unavailable && c.req.method === 'POST') {
    const values = await formBody(c).catch(() => ({}));
    if (Object.keys(values).length) return respond(c, 'Briefly unavailable', <KeptForm action={c.req.path} message={known.message} values={values} />, 503);
  }
  // Without a form to highlight them in, the field messages are the explanation.
  const message = known.fields ? Object.values(known.fields).join(' ') : known.message;
  return respond(c, 'Error', <ErrorPage status={status} message={message} />, status);
}
