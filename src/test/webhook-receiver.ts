import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../platform/http-client/signature.ts';

/**
 * A webhook receiver as a unit's own system would run it, for tests and the fan-out benchmark: it
 * checks every signature, keeps one post per Idempotency-Key (a repeat is answered like the first),
 * and can be told to fail, reject, throttle or take a post and never answer (timeout after send).
 */
export interface ReceivedPost {
  key: string;
  event: string;
  path: string;
  body: Record<string, unknown>;
  at: number;
}

export type ReceiverMode = 'ok' | 'fail' | 'reject' | 'throttle' | 'hang';

export class WebhookReceiver {
  /** Stored posts, one per idempotency key. */
  readonly posts = new Map<string, ReceivedPost>();
  /** Every call, repeats included. */
  calls = 0;
  badSignatures = 0;
  mode: ReceiverMode = 'ok';
  /** Calls to answer with `mode` before going back to 'ok' (Infinity: until changed). */
  modeCalls = Infinity;
  private server!: http.Server;
  private readonly hung: http.ServerResponse[] = [];
  base = '';

  constructor(private readonly secret: (path: string) => string) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, text: string) {
    this.calls++;
    const path = req.url ?? '/';
    const header = (name: string) => String(req.headers[name] ?? '');
    if (!verifySignature(this.secret(path), header('x-tianfu-timestamp'), text, header('x-tianfu-signature'))) {
      this.badSignatures++;
      res.writeHead(401).end('bad signature');
      return;
    }
    let mode = this.mode;
    if (mode !== 'ok' && this.modeCalls-- <= 0) mode = this.mode = 'ok';
    if (mode === 'fail') return void res.writeHead(503).end('busy');
    if (mode === 'reject') return void res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"content refused"}');
    if (mode === 'throttle') return void res.writeHead(429, { 'retry-after': '1' }).end('slow down');
    const key = header('idempotency-key');
    if (!this.posts.has(key)) this.posts.set(key, { key, event: header('x-tianfu-event'), path, body: JSON.parse(text) as Record<string, unknown>, at: Date.now() });
    if (mode === 'hang') {
      this.hung.push(res);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `post-${key.slice(-12)}`, url: `${this.base}/posts/${encodeURIComponent(key)}` }));
  }

  /** Answers nothing to the hung calls: the connections are dropped. */
  dropHung() {
    for (const res of this.hung.splice(0)) res.destroy();
  }

  byEvent(event: string) {
    return [...this.posts.values()].filter((p) => p.event === event);
  }

  async close() {
    this.dropHung();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
