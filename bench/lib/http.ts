import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  body: string;
  /** Milliseconds from sending the request to the last byte of the response. */
  ms: number;
  /** performance.now() when the response ended. */
  at: number;
}

/** A keep-alive HTTP client with one socket per concurrent request: lean enough to not be the bottleneck. */
export function client(base: string, maxSockets: number) {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  function send(method: string, path: string, token: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((done, fail) => {
      const started = performance.now();
      const req = request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const at = performance.now();
          done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: at - started, at });
        });
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end(payload);
    });
  }
  return { send, close: () => agent.destroy() };
}
export type Client = ReturnType<typeof client>;
