import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAddress, ipLiteral } from './address-policy.ts';
import { OutboundError, OutboundHttpClient, decodeText } from './outbound.ts';

/**
 * The SSRF guard. No test here sends a packet anywhere but 127.0.0.1: every refused address is
 * refused before a connection is attempted, which is the property under test.
 */

let server: http.Server;
let base: string;
let port: number;
const seen: { url: string; host: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', host: req.headers.host });
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/ok') return void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('你好');
    if (url.pathname === '/redirect') return void res.writeHead(302, { location: url.searchParams.get('to') ?? '/ok' }).end();
    if (url.pathname === '/loop') return void res.writeHead(301, { location: '/loop' }).end();
    if (url.pathname === '/big') return void res.writeHead(200).end('x'.repeat(5000));
    if (url.pathname === '/gzip-bomb') {
      return void res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(Buffer.alloc(1_000_000)));
    }
    if (url.pathname === '/slow') return void setTimeout(() => res.end('late'), 2000);
    if (url.pathname === '/gbk') {
      // "成都" in GBK
      return void res.writeHead(200, { 'content-type': 'text/xml; charset=gbk' }).end(Buffer.from([0xb3, 0xc9, 0xb6, 0xbc]));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OutboundError) return err;
    throw err;
  }
  throw new Error('expected the request to be refused');
}

describe('address policy', () => {
  it('allows public unicast and refuses private, loopback, link-local, CGNAT, multicast, ULA and friends', () => {
    for (const ok of ['93.184.216.34', '2606:4700::1111', '101.6.6.6']) expect(checkAddress(ok).allowed, ok).toBe(true);
    const refused = {
      '127.0.0.1': 'loopback',
      '127.8.9.1': 'loopback',
      '10.1.2.3': 'private',
      '172.16.0.1': 'private',
      '192.168.1.1': 'private',
      '169.254.169.254': 'linkLocal',
      '100.64.0.1': 'carrierGradeNat',
      '224.0.0.1': 'multicast',
      '0.0.0.0': 'unspecified',
      '255.255.255.255': 'broadcast',
      '::1': 'loopback',
      '::': 'unspecified',
      'fd00::1': 'uniqueLocal',
      'fe80::1': 'linkLocal',
      'ff02::1': 'multicast',
      '::ffff:127.0.0.1': 'loopback',
      '::ffff:10.0.0.1': 'private',
      '64:ff9b::a00:1': 'rfc6052',
      '2002:a00:1::': '6to4',
    };
    for (const [address, range] of Object.entries(refused)) {
      const verdict = checkAddress(address);
      expect(verdict.allowed, address).toBe(false);
      if (!verdict.allowed) expect(verdict.range, address).toBe(range);
    }
  });

  it('lets the operator switch open private ranges and tests open loopback, never link-local or multicast', () => {
    const operator = { allowPrivate: true };
    for (const a of ['10.1.2.3', '192.168.1.1', '127.0.0.1', '::1', 'fd00::1', '100.64.0.1']) expect(checkAddress(a, operator).allowed, a).toBe(true);
    for (const a of ['169.254.169.254', 'fe80::1', '224.0.0.1', '0.0.0.0']) expect(checkAddress(a, operator).allowed, a).toBe(false);
    expect(checkAddress('127.0.0.1', { allowLoopback: true }).allowed).toBe(true);
    expect(checkAddress('10.0.0.1', { allowLoopback: true }).allowed).toBe(false);
  });

  it('recognises IP literals as URL hosts write them', () => {
    expect(ipLiteral('[::1]')).toBe('::1');
    expect(ipLiteral('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteral('feeds.example.cn')).toBeNull();
  });
});

describe('outbound client', () => {
  it('refuses 127.0.0.1, 10.x, 169.254.169.254 and [::1] by default, before connecting', async () => {
    const client = new OutboundHttpClient();
    const before = seen.length;
    for (const url of [`${base}/ok`, 'http://10.0.0.8/feed.xml', 'http://169.254.169.254/latest/meta-data/', `http://[::1]:${port}/ok`, 'http://0x7f.1/']) {
      const err = await refusal(client.request(url));
      expect(err.code, url).toBe('blocked_address');
    }
    expect(seen.length).toBe(before);
  });

  it('offers TIANFU_OUTBOUND_ALLOW_PRIVATE only where that switch could help', async () => {
    const client = new OutboundHttpClient();
    for (const url of ['http://10.0.0.8/feed.xml', 'http://127.0.0.1/', 'http://[fd00::1]/', 'http://100.64.0.1/']) {
      const err = await refusal(client.request(url));
      expect(err.code, url).toBe('blocked_address');
      expect(err.zh, url).toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
      expect(err.message, url).toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
    }
    // Link-local and cloud metadata, multicast, broadcast, unspecified, reserved: nothing opens them.
    const operator = new OutboundHttpClient({ allowPrivate: true });
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://224.0.0.1/', 'http://255.255.255.255/', 'http://0.0.0.0/', 'http://240.0.0.1/']) {
      for (const c of [client, operator]) {
        const err = await refusal(c.request(url));
        expect(err.code, url).toBe('blocked_address');
        expect(`${err.zh} ${err.message}`, url).not.toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
      }
    }
    for (const url of ['file:///etc/passwd', 'gopher://10.0.0.1/']) {
      const err = await refusal(client.request(url));
      expect(err.code, url).toBe('bad_url');
      expect(`${err.zh} ${err.message}`, url).not.toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
    }
  });

  it('never tells what an internal name resolved to', async () => {
    const answers: Record<string, string> = { 'db.corp.example': '10.20.30.40', 'meta.corp.example': '169.254.169.254', 'me.corp.example': '127.0.0.1' };
    const client = new OutboundHttpClient({ resolve: async (host) => [{ address: answers[host] ?? '93.184.216.34', family: 4 }] });
    for (const [host, address] of Object.entries(answers)) {
      const err = await refusal(client.request(`http://${host}/x`));
      expect(err.code, host).toBe('blocked_address');
      expect(`${err.zh} ${err.message}`, host).toContain(host);
      expect(`${err.zh} ${err.message}`, host).not.toContain(address);
      expect(`${err.zh} ${err.message}`, host).not.toMatch(/[(（](private|loopback|linkLocal)[)）]|\b10\./);
    }
    expect((await refusal(client.request('http://meta.corp.example/'))).zh).not.toContain('TIANFU_OUTBOUND_ALLOW_PRIVATE');
    // A connection failure does not tell the address either (Node's message says "127.0.0.1:port").
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const loopback = new OutboundHttpClient({ allowLoopback: true, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const err = await refusal(loopback.request(`http://svc.corp.example:${closedPort}/`));
    expect(err.code).toBe('network');
    expect(`${err.zh} ${err.message}`).not.toContain('127.0.0.1');
  });

  it('refuses names that resolve to a private address, or to any private address among several', async () => {
    const client = new OutboundHttpClient({
      resolve: async (host) =>
        host === 'internal.example.cn'
          ? [{ address: '10.0.0.5', family: 4 }]
          : [
              { address: '93.184.216.34', family: 4 },
              { address: '192.168.0.10', family: 4 },
            ],
    });
    expect((await refusal(client.request('http://internal.example.cn/rss'))).code).toBe('blocked_address');
    expect((await refusal(client.request('http://mixed.example.cn/rss'))).code).toBe('blocked_address');
    // The system resolver: localhost is loopback.
    expect((await refusal(new OutboundHttpClient().request(`http://localhost:${port}/ok`))).code).toBe('blocked_address');
  });

  it('connects to the address it checked: the name is resolved once per hop and the socket pinned to it', async () => {
    let lookups = 0;
    const client = new OutboundHttpClient({
      allowLoopback: true,
      resolve: async () => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    const res = await client.request(`http://feeds.example.test:${port}/ok`);
    expect(res.status).toBe(200);
    expect(res.text()).toBe('你好');
    expect(lookups).toBe(1);
    expect(seen.at(-1)!.host).toBe(`feeds.example.test:${port}`);
  });

  it('only http and https, without credentials', async () => {
    const client = new OutboundHttpClient({ allowLoopback: true });
    for (const url of ['file:///etc/passwd', 'ftp://example.cn/x', 'gopher://127.0.0.1/', `http://user:pw@127.0.0.1:${port}/ok`, 'not a url']) {
      expect((await refusal(client.request(url))).code, url).toBe('bad_url');
    }
  });

  it('re-checks every redirect hop: a redirect to a private or metadata address is refused', async () => {
    const client = new OutboundHttpClient({ allowLoopback: true });
    const ok = await client.request(`${base}/redirect?to=/ok`);
    expect(ok.status).toBe(200);
    expect(ok.redirects).toEqual([`${base}/ok`]);
    for (const target of ['http://10.0.0.1/admin', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00::1]/']) {
      const err = await refusal(client.request(`${base}/redirect?to=${encodeURIComponent(target)}`));
      expect(err.code, target).toBe('blocked_address');
    }
    expect((await refusal(client.request(`${base}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`))).code).toBe('bad_url');
    expect((await refusal(client.request(`${base}/loop`))).code).toBe('too_many_redirects');
  });

  it('stops at the body limit (after decompression) and at the deadline', async () => {
    const client = new OutboundHttpClient({ allowLoopback: true, maxBodyBytes: 1000, timeoutMs: 300 });
    expect((await refusal(client.request(`${base}/big`))).code).toBe('too_large');
    expect((await refusal(client.request(`${base}/gzip-bomb`))).code).toBe('too_large');
    expect((await refusal(client.request(`${base}/slow`))).code).toBe('timeout');
  });

  it('decodes the declared charset (GBK feeds exist)', async () => {
    const client = new OutboundHttpClient({ allowLoopback: true });
    expect((await client.request(`${base}/gbk`)).text()).toBe('成都');
    expect(decodeText(Buffer.from('<?xml version="1.0" encoding="gb2312"?>'), undefined)).toContain('gb2312');
  });
});
