import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv, SignedInEnv } from '../env.ts';
import { AppError, Invalid, toAppError } from './errors.ts';
import { respond } from './render.tsx';

/** What a form handler gets back: the value, or the refusal to show in its form again. */
export type Attempt<T> = { ok: true; value: T } | Refused;
export type Refused = { ok: false; error: AppError; status: FormStatus };
type FormStatus = Exclude<AppError['status'], 403>;

/**
 * Runs a form's validation and service call and hands a refusal back to the handler, which
 * re-renders its form right there: 422 for invalid input, else the refusal's own status (409 stock,
 * 429 too many, 503 database away: the input is kept). A 403 (another site) and anything
 * unexpected stay thrown, for `onError`.
 */
export async function attempt<T>(work: () => T | Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    const error = err instanceof Error ? toAppError(err) : null;
    if (!error || error.status === 403) throw err;
    return { ok: false, error, status: error instanceof Invalid ? 422 : error.status };
  }
}

/** The form again, with its refusal (status and headers such as Retry-After): the fragment for htmx, the whole page otherwise. */
export function formAgain(c: Context<AppEnv> | Context<SignedInEnv>, refused: Refused, form: Child) {
  for (const [name, value] of Object.entries(refused.error.headers ?? {})) c.header(name, value);
  return respond(c, 'Please check the form', form, refused.status);
}
