import type { ServerResponse } from 'node:http';
import type { SseSink } from './sse.ts';

const encoder = new TextEncoder();

/**
 * Straight to Node's response (docs/decisions/012): no web ReadableStream, no adapter loop
 * reading it, nothing of the request kept. "Unsent" is what Node holds for the socket. A class,
 * not an object of closures: thousands are open at once, and its methods are shared (decision 020).
 */
class NodeSink implements SseSink {
  constructor(private readonly res: ServerResponse) {}

  write(text: string) {
    const res = this.res;
    res.write(text);
    forgetHead(res);
  }

  unsent() {
    return this.res.writableLength;
  }

  drained() {
    const res = this.res;
    if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
    return new Promise<void>((done) => {
      const settle = () => {
        res.off('drain', settle).off('close', settle);
        done();
      };
      res.on('drain', settle).on('close', settle);
    });
  }

  end() {
    this.res.end();
  }

  destroy() {
    this.res.destroy();
  }

  onGone(listener: () => void) {
    // A response emits 'close' once: `once` would add a wrapper, its bound copy and their state per stream.
    this.res.on('close', listener);
  }
}

export const nodeSink = (res: ServerResponse): SseSink => new NodeSink(res);

/** What `_header` holds once the head is on the wire: Node only asks whether it is set. */
const HEAD_SENT = 'sent';

/**
 * Node keeps the response head it wrote (`_header`, ~1 KB of text as a tree of about 70
 * concatenated pieces, 2.4 KB of heap) for the response's whole life, but after the first write
 * reads it only as "headers sent?" (`headersSent`, `writeHead`, `end`). Dropping it saves a
 * quarter of a stream's heap (decision 020). The tests of the served stream's headers and of
 * `headersSent` fail if a Node upgrade changes this.
 */
function forgetHead(res: ServerResponse) {
  const internals = res as unknown as { _header: unknown; _headerSent: boolean };
  if (internals._headerSent && internals._header !== HEAD_SENT) internals._header = HEAD_SENT;
}

/**
 * Calls `start` once the adapter has written the response head, from the answer as the app's
 * middleware left it (security headers, CSP, Cache-Control, `Connection: close` while draining).
 * The handler answers with an empty body, which @hono/node-server ends at once after the head:
 * that one `end()` is skipped and the stream writes the body instead. An answer that replaced
 * ours with a body of its own (an error page) is sent as it is, and `abandon` runs instead.
 */
export function afterHead(res: ServerResponse, start: () => void, abandon: () => void) {
  const end = res.end;
  res.end = function adaptersEnd(this: ServerResponse, ...args: unknown[]) {
    res.end = end;
    if (args.length || res.statusCode !== 200 || res.destroyed) {
      abandon();
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    }
    // The adapter's own 'close' listener (it aborts the request's signal if the client leaves
    // early) keeps the whole web Request, its URL, headers and AbortController, reachable for as
    // long as the stream lasts; nothing reads the request from here on (decision 012).
    res.removeAllListeners('close');
    start();
    return this;
  } as ServerResponse['end'];
}

/** The response body as a web stream: for requests without a Node response (`app.request()` in tests). */
export function webStreamSink() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let pulled: (() => void) | undefined;
  let gone = () => {};
  const release = () => {
    pulled?.();
    pulled = undefined;
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start: (ctrl) => void (controller = ctrl),
      pull: release,
      cancel: () => {
        release();
        gone();
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  const unsent = () => -(controller.desiredSize ?? 0);
  const sink: SseSink = {
    write: (text) => controller.enqueue(encoder.encode(text)),
    unsent,
    drained: () => (unsent() <= 0 ? Promise.resolve() : new Promise<void>((r) => (pulled = r))),
    end: () => {
      release();
      controller.close();
    },
    destroy: () => {
      release();
      controller.error(new Error('client stopped reading'));
    },
    onGone: (listener) => void (gone = listener),
  };
  return { body, sink };
}
