import type { App } from '../../src/app.ts';

export const ORIGIN = 'http://localhost';

/**
 * A user agent with a cookie jar, over `app.request()` or a real origin. Unsafe requests carry
 * the same-origin `Origin` header a browser sends, so the CSRF check passes like in a browser.
 */
export class Client {
  cookies = new Map<string, string>();
  token?: string;

  constructor(
    readonly target: App | string,
    readonly origin = typeof target === 'string' ? target : ORIGIN,
  ) {}

  async request(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.token && !headers.authorization) headers.authorization = `Bearer ${this.token}`;
    if (init.method && init.method !== 'GET' && !('origin' in headers)) headers.origin = this.origin;
    const url = path.startsWith('http') ? path : `${this.origin}${path}`;
    const res =
      typeof this.target === 'string'
        ? await fetch(url, { ...init, headers, redirect: 'manual' })
        : await this.target.request(url, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (!value || /max-age=0/i.test(line)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return res;
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** A form post as a browser without JavaScript makes it. */
  form(path: string, fields: Record<string, string | number | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, String(one));
    return this.request(path, { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** A JSON API call. */
  json(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request(path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });
  }
}
