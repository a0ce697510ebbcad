import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSink } from '../../../src/notifications/sinks.ts';

let server: ReturnType<typeof createServer>;
let origin: string;
let served: ServerResponse | undefined;
let writeHeadAfter: unknown;

beforeAll(async () => {
  server = createServer((_req, res) => {
    served = res;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-kept': 'yes' });
    const sink = nodeSink(res);
    sink.write(': one\n\n');
    sink.write(': two\n\n');
    try {
      res.writeHead(500);
    } catch (err) {
      writeHeadAfter = err;
    }
    sink.end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('nodeSink', () => {
  it('sends the head once, before the first bytes, and keeps no copy of it once sent (decision 020)', async () => {
    const res = await fetch(origin);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-kept')).toBe('yes');
    expect(await res.text()).toBe(': one\n\n: two\n\n');
    expect(served!.headersSent).toBe(true);
    expect(writeHeadAfter).toMatchObject({ code: 'ERR_HTTP_HEADERS_SENT' });
    expect(String((served as unknown as { _header: string })._header).length).toBeLessThan(10);
  });
});
