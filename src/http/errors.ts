import { HTTPException } from 'hono/http-exception';

/** Typed errors thrown by services; `app.onError` maps them to JSON or to a page/form. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export class Invalid extends AppError {
  constructor(message: string, fields?: Record<string, string>) {
    super(400, 'invalid', message, fields);
  }
}
export class Unauthorized extends AppError {
  constructor(message = 'Sign in to continue.') {
    super(401, 'unauthorized', message);
  }
}
export class Forbidden extends AppError {
  constructor(message = 'You are not allowed to do that.') {
    super(403, 'forbidden', message);
  }
}
export class NotFound extends AppError {
  constructor(message = 'Not found.') {
    super(404, 'not_found', message);
  }
}
export class Conflict extends AppError {
  constructor(message: string, fields?: Record<string, string>) {
    super(409, 'conflict', message, fields);
  }
}
export class TooMany extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'rate_limited', message, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}
export class Unavailable extends AppError {
  constructor(message = 'The shop is briefly unavailable. Please try again in a moment.') {
    super(503, 'unavailable', message, undefined, { 'Retry-After': '5' });
  }
}

const DB_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', '57P01', '57P02', '57P03', '08006', '08001', '08003']);

/** Any thrown error as a typed one (null for the unexpected): how `onError` and forms answer it. */
export function toAppError(err: Error): AppError | null {
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
