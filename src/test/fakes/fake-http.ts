import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/**
 * The plumbing every platform fake shares: a real node:http server on 127.0.0.1 and a random port,
 * request parsing (query, JSON, url-encoded forms, multipart uploads), a log of what was called, and
 * the switch for the hardest failure to test — a request the platform receives (and acts on, or not)
 * whose answer never comes back.
 */

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
  form(): URLSearchParams;
  files(): MultipartPart[];
}

export interface MultipartPart {
  name: string;
  filename: string | null;
  mime: string | null;
  data: Buffer;
}

export interface FakeReply {
  status?: number;
  body: unknown;
  /** Extra response headers (rate-limit headers, Location). */
  headers?: Record<string, string>;
}

export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface Hang {
  /** true: the platform acts on the request (the post exists) but the answer never arrives; false: it is dropped unread. */
  process: boolean;
}

export class FakeHttpServer {
  readonly calls: { method: string; path: string; query: string }[] = [];
  private server!: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly hangs = new Map<string, Hang[]>();
  base = '';

  constructor(private readonly handle: FakeHandler) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next request to `path` gets no answer (see Hang). */
  hangNext(path: string, hang: Hang) {
    const list = this.hangs.get(path) ?? [];
    list.push(hang);
    this.hangs.set(path, list);
  }

  count(path: string): number {
    return this.calls.filter((c) => c.path === path).length;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    this.calls.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search });
    const body = Buffer.concat(chunks);
    const fake: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      json: <T>() => (body.length ? JSON.parse(body.toString('utf8')) : {}) as T,
      form: () => new URLSearchParams(body.toString('utf8')),
      files: () => parseMultipart(body, req.headers['content-type'] ?? ''),
    };
    const hang = this.hangs.get(url.pathname)?.shift();
    if (hang) {
      // Keep the socket open and silent; the client's deadline (or close()) ends it.
      if (hang.process) await this.handle(fake);
      return;
    }
    try {
      const reply = await this.handle(fake);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers }).end(JSON.stringify(reply.body));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    }
  }
}

export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const head = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(head)?.[1] ?? null;
      const mime = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? null;
      parts.push({ name, filename, mime, data: part.subarray(headerEnd + 4) });
    }
    start = next;
  }
  return parts;
}

/** What every platform fake exposes to a spec: its base URL, the call log and the silent-answer switch. */
export abstract class PlatformFake {
  readonly http: FakeHttpServer;

  constructor() {
    this.http = new FakeHttpServer((req) => this.route(req));
  }

  protected abstract route(req: FakeRequest): Promise<FakeReply> | FakeReply;

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  close() {
    return this.http.close();
  }

  get base() {
    return this.http.base;
  }

  count(path: string) {
    return this.http.count(path);
  }

  hangNext(path: string, hang: Hang) {
    this.http.hangNext(path, hang);
  }
}
