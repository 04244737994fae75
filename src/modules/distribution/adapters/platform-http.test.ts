import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, loopbackHttp } from '../../../test/adapter-test-kit.ts';
import { OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import { parseMultipart } from '../../../test/fakes/fake-http.ts';
import { type CallEffect, callPlatform, keyTag, linkWithTag, multipart } from './platform-http.ts';
import { TokenCache } from './token-cache.ts';

/** The one rule every platform adapter relies on: what a failed call means to the worker. */

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/500') return void res.writeHead(502).end('bad gateway');
    if (req.url === '/403') return void res.writeHead(403).end('<html>forbidden</html>');
    if (req.url === '/429') return void res.writeHead(429).end('slow down');
    if (req.url === '/json-400') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error_code":21327}');
    if (req.url === '/slow') return; // never answers
    res.writeHead(200).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const call = (path: string, effect: CallEffect, signal = new AbortController().signal, url = `${base}${path}`) =>
  callPlatform(loopbackHttp(), url, { timeoutMs: 200, signal, effect, label: 'test', body: 'x' });

describe('callPlatform', () => {
  it('a publishing call that got no answer is unknown; a read or an upload is retry', async () => {
    expect((await failureOf(call('/slow', 'publish'))).failure).toBe('unknown');
    expect((await failureOf(call('/slow', 'upload'))).failure).toBe('retry');
    expect((await failureOf(call('/500', 'publish'))).failure).toBe('unknown');
    expect((await failureOf(call('/500', 'read'))).failure).toBe('retry');
  });

  it('a refused connection sent nothing: retry even for a publishing call', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect((await failureOf(call('', 'publish', undefined, `http://127.0.0.1:${port}/x`))).failure).toBe('retry');
  });

  it("the worker's signal: before sending is retry, while waiting on a publishing call is unknown", async () => {
    const before = new AbortController();
    before.abort();
    expect((await failureOf(call('/slow', 'publish', before.signal))).failure).toBe('retry');
    const during = new AbortController();
    const work = failureOf(callPlatform(loopbackHttp(), `${base}/slow`, { timeoutMs: 5_000, signal: during.signal, effect: 'publish', label: 't' }));
    setTimeout(() => during.abort(), 50);
    expect((await work).failure).toBe('unknown');
  });

  it('hands a 4xx with a JSON body to the adapter, and maps other 4xx by status', async () => {
    expect((await call('/json-400', 'publish')).status).toBe(400);
    expect((await failureOf(call('/403', 'read'))).failure).toBe('rejected');
    expect((await failureOf(call('/429', 'read'))).failure).toBe('rate_limited');
  });

  it('refuses a private address when the client does not allow it', async () => {
    const strict = new OutboundHttpClient();
    const err = await failureOf(callPlatform(strict, `${base}/`, { timeoutMs: 200, signal: new AbortController().signal, effect: 'read', label: 't' }));
    expect(err.failure).toBe('rejected');
  });
});

describe('helpers', () => {
  it('tags a link with a short hash of the idempotency key', () => {
    const tag = keyTag('channel:item:publish:3');
    expect(tag).toMatch(/^[0-9a-f]{16}$/);
    expect(linkWithTag('https://a.example/x?y=1', tag)).toBe(`https://a.example/x?y=1&tfk=${tag}`);
  });

  it('builds multipart bodies the fakes (and the platforms) can read', () => {
    const form = multipart({ status: '你好 world' }, [{ name: 'pic', filename: 'a.jpg', mime: 'image/jpeg', bytes: Buffer.from([0xff, 0xd8, 1, 2]) }]);
    const parts = parseMultipart(form.body, form.contentType);
    expect(parts.map((p) => [p.name, p.filename])).toEqual([
      ['status', null],
      ['pic', 'a.jpg'],
    ]);
    expect(parts[0]!.data.toString()).toBe('你好 world');
    expect([...parts[1]!.data]).toEqual([0xff, 0xd8, 1, 2]);
  });

  it('fetches a token once for deliveries that start together, and renews it before it lapses', async () => {
    let now = 0;
    const cache = new TokenCache(300_000, () => now);
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 10));
      return { token: `t${fetches}`, expiresInSec: 7200 };
    };
    const got = await Promise.all([cache.get('k', fetch), cache.get('k', fetch), cache.get('k', fetch)]);
    expect(new Set(got.map((g) => g.token))).toEqual(new Set(['t1']));
    now = 7200_000 - 300_000 - 1;
    expect((await cache.get('k', fetch)).token).toBe('t1');
    now += 2;
    expect((await cache.get('k', fetch)).token).toBe('t2');
    cache.invalidate('k', 'stale-other');
    expect(cache.peek('k')?.token).toBe('t2');
  });
});
