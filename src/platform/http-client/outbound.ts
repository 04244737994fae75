import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import { type AddressPolicy, checkAddress, ipLiteral, operatorMayAllow } from './address-policy.ts';

/**
 * Outbound HTTP for everything the platform fetches or calls on its own: feed ingest today, webhooks
 * and channel adapters later. One client guards them all against SSRF (server-side request forgery):
 *
 * 1. only http: and https: URLs, without user:password;
 * 2. the host is resolved here, and every address it resolves to must pass the address policy
 *    (address-policy.ts: no private, loopback, link-local, CGNAT, multicast, ULA … by default);
 * 3. the connection goes to the address that was checked (a pinned `lookup`), so a second DNS answer
 *    (DNS rebinding) cannot swap in another, and the socket's peer is checked again once connected;
 * 4. each redirect hop is a new URL that goes through 1–3 again, and there are at most `maxRedirects`;
 * 5. one deadline covers the whole exchange (all hops, headers and body), and the body — after
 *    gzip/deflate/br decoding, so a small bomb cannot expand — stops at `maxBodyBytes`.
 *
 * No proxy environment variables are honoured and no connection is reused between requests.
 * Failures are `OutboundError`s with a stable code and a message in Chinese and English.
 */

export interface OutboundClientOptions extends AddressPolicy {
  /** Deadline for one request, redirects included. Default 15 s. */
  timeoutMs?: number;
  /** Largest response body, decoded. Default 10 MiB. */
  maxBodyBytes?: number;
  /** Redirect hops followed before giving up. Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  /** Name resolution; the system resolver unless a test supplies its own. */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

export interface OutboundRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  maxBodyBytes?: number;
  maxRedirects?: number;
}

export interface OutboundResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (set-cookie with "\n"). */
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
  /** Every URL redirected to, in order. */
  redirects: string[];
  /** The body decoded by its declared charset (Content-Type, or the XML declaration), UTF-8 otherwise. */
  text(): string;
}

export type OutboundErrorCode =
  | 'bad_url'
  | 'blocked_address'
  | 'dns'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'network';

export class OutboundError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    readonly zh: string,
    en: string,
    readonly url: string,
  ) {
    super(en);
    this.name = 'OutboundError';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export class OutboundHttpClient {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  private readonly policy: AddressPolicy;
  private readonly userAgent: string;
  private readonly resolve: NonNullable<OutboundClientOptions['resolve']>;

  constructor(options: OutboundClientOptions = {}) {
    this.policy = { allowPrivate: options.allowPrivate ?? false, allowLoopback: options.allowLoopback ?? false };
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.userAgent = options.userAgent ?? 'Tianfu/0.1 (feed reader)';
    this.resolve = options.resolve ?? ((host) => dns.lookup(host, { all: true, verbatim: true }));
  }

  /**
   * The checks that need no network: scheme, credentials, and an IP-literal host against the policy.
   * Routes call it to refuse a bad URL when it is entered; `request` repeats it for every hop.
   */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundError('bad_url', `不是合法的网址：${raw}`, `Not a valid URL: ${raw}`, raw);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new OutboundError('bad_url', `只支持 http 和 https 网址：${raw}`, `Only http and https URLs are allowed: ${raw}`, raw);
    }
    if (url.username || url.password) {
      throw new OutboundError('bad_url', '网址中不能包含用户名或密码', 'URLs must not carry a user name or password', raw);
    }
    const literal = ipLiteral(url.hostname);
    if (literal) this.assertAllowed(literal, url);
    return url;
  }

  async request(rawUrl: string, init: OutboundRequest = {}): Promise<OutboundResponse> {
    const deadline = Date.now() + (init.timeoutMs ?? this.timeoutMs);
    const maxRedirects = init.maxRedirects ?? this.maxRedirects;
    const redirects: string[] = [];
    let url = this.checkUrl(rawUrl);
    let method = init.method ?? 'GET';
    let body = init.body;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
    for (;;) {
      const res = await this.once(url, method, headers, body, deadline, init.maxBodyBytes ?? this.maxBodyBytes);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location) return { ...res, url: url.toString(), redirects, text: () => decodeText(res.body, res.headers['content-type']) };
      if (redirects.length >= maxRedirects) {
        throw new OutboundError('too_many_redirects', `重定向超过 ${maxRedirects} 次`, `More than ${maxRedirects} redirects`, url.toString());
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new OutboundError('bad_url', `重定向地址不合法：${location}`, `Bad redirect location: ${location}`, url.toString());
      }
      next = this.checkUrl(next.toString());
      if (next.origin !== url.origin) for (const h of CREDENTIAL_HEADERS) delete headers[h];
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      redirects.push(next.toString());
      url = next;
    }
  }

  /**
   * Refuses an address the policy does not allow. What the message says is chosen with care: for a
   * name it never says what the name resolved to (that would map the internal network for whoever
   * enters URLs), and it names TIANFU_OUTBOUND_ALLOW_PRIVATE only for ranges that switch can open.
   */
  private assertAllowed(address: string, url: URL) {
    const verdict = checkAddress(address, this.policy);
    if (!verdict.allowed) throw blockedError(url, verdict.range, ipLiteral(url.hostname) !== null);
    return verdict;
  }

  /** Resolves the host and checks every address it has; the first one is used for the connection. */
  private async pin(url: URL, deadline: number): Promise<{ address: string; family: 4 | 6 }> {
    const literal = ipLiteral(url.hostname);
    if (literal) return this.assertAllowed(literal, url) as { address: string; family: 4 | 6 };
    let answers: { address: string; family: number }[];
    try {
      answers = await withDeadline(this.resolve(url.hostname), deadline, url);
    } catch (err) {
      if (err instanceof OutboundError) throw err;
      throw new OutboundError('dns', `无法解析域名 ${url.hostname}`, `Cannot resolve ${url.hostname}: ${(err as Error).message}`, url.toString());
    }
    if (!answers.length) throw new OutboundError('dns', `无法解析域名 ${url.hostname}`, `No address for ${url.hostname}`, url.toString());
    // Every answer must pass: otherwise a name with one public and one private record is a way in.
    const checked = answers.map((a) => this.assertAllowed(a.address, url) as { address: string; family: 4 | 6 });
    return checked[0]!;
  }

  private async once(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    deadline: number,
    maxBodyBytes: number,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const pinned = await this.pin(url, deadline);
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timeoutError(url);
    const transport = url.protocol === 'https:' ? https : http;
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: OutboundError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(err);
      };
      let req: http.ClientRequest;
      try {
        req = transport.request({
          protocol: url.protocol,
          host: hostname,
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method,
          lookup,
          agent: false,
          ...(ipLiteral(url.hostname) ? {} : { servername: hostname }),
          headers: {
            'user-agent': this.userAgent,
            'accept-encoding': 'gzip, deflate, br',
            ...headers,
            ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          },
        });
      } catch (err) {
        reject(new OutboundError('bad_url', `请求无法发出：${(err as Error).message}`, `The request cannot be sent: ${(err as Error).message}`, url.toString()));
        return;
      }
      const timer = setTimeout(() => fail(timeoutError(url)), remaining);
      req.on('socket', (socket) => {
        socket.once('connect', () => {
          const peer = socket.remoteAddress;
          const verdict = peer ? checkAddress(peer, this.policy) : null;
          if (verdict && !verdict.allowed) fail(blockedError(url, verdict.range, ipLiteral(url.hostname) !== null));
        });
      });
      // Node's own message names the resolved address and port; its code says enough.
      req.on('error', (err: NodeJS.ErrnoException) => {
        const reason = err.code ?? err.message.replace(/\[?[0-9a-f:.]+\]?:\d+/gi, '').trim();
        fail(new OutboundError('network', `无法连接 ${url.host}：${reason}`, `Cannot reach ${url.host}: ${reason}`, url.toString()));
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const responseHeaders = flattenHeaders(res.headers);
        if (REDIRECTS.has(status) || method === 'HEAD' || status === 304 || status === 204) {
          res.resume();
          settled = true;
          clearTimeout(timer);
          resolve({ status, headers: responseHeaders, body: Buffer.alloc(0) });
          return;
        }
        const declared = Number(res.headers['content-length']);
        const tooLarge = () =>
          new OutboundError(
            'too_large',
            `响应超过 ${Math.round(maxBodyBytes / 1024)} KB 上限`,
            `The response is larger than the ${Math.round(maxBodyBytes / 1024)} KB limit`,
            url.toString(),
          );
        const encoding = (res.headers['content-encoding'] ?? '').trim().toLowerCase();
        if (!encoding && Number.isFinite(declared) && declared > maxBodyBytes) return fail(tooLarge());
        const decoder =
          encoding === 'gzip' || encoding === 'x-gzip'
            ? zlib.createGunzip()
            : encoding === 'deflate'
              ? zlib.createInflate()
              : encoding === 'br'
                ? zlib.createBrotliDecompress()
                : null;
        const stream = decoder ? res.pipe(decoder) : res;
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            decoder?.destroy();
            return fail(tooLarge());
          }
          chunks.push(chunk);
        });
        stream.on('error', (err: Error) =>
          fail(new OutboundError('network', `读取响应失败：${err.message}`, `Reading the response failed: ${err.message}`, url.toString())),
        );
        stream.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks) });
        });
      });
      req.end(body);
    });
  }
}

function blockedError(url: URL, range: string, literal: boolean) {
  const host = url.hostname;
  const switchable = operatorMayAllow(range);
  // An IP literal is what the user typed, so its range may be named; a name's answer is not told.
  const zhWhat = literal ? `${host}（${range}）` : `${host} 解析到的地址`;
  const enWhat = literal ? `${host} (${range})` : `the address ${host} resolves to`;
  if (switchable) {
    return new OutboundError(
      'blocked_address',
      `出于安全原因拒绝访问内网或本机地址：${zhWhat}；如确需访问，请运维开启 TIANFU_OUTBOUND_ALLOW_PRIVATE`,
      `Refused to connect to a private or loopback address: ${enWhat}; an operator may allow private targets with TIANFU_OUTBOUND_ALLOW_PRIVATE`,
      url.toString(),
    );
  }
  return new OutboundError(
    'blocked_address',
    `出于安全原因拒绝访问保留地址（链路本地、云元数据、组播、广播等）：${zhWhat}；任何设置都不会放行`,
    `Refused to connect to a reserved address (link-local, cloud metadata, multicast, broadcast …): ${enWhat}; no setting allows it`,
    url.toString(),
  );
}

function timeoutError(url: URL) {
  return new OutboundError('timeout', `请求 ${url.host} 超时`, `The request to ${url.host} timed out`, url.toString());
}

async function withDeadline<T>(work: Promise<T>, deadline: number, url: URL): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(url)), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function flattenHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(k === 'set-cookie' ? '\n' : ', ') : v;
  }
  return out;
}

/** Decodes by the charset the response declares; Chinese feeds still come in GBK/GB2312/GB18030. */
export function decodeText(body: Buffer, contentType?: string): string {
  let charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1];
  if (!charset) {
    const head = body.subarray(0, 200).toString('latin1');
    charset = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w-]+)["']/i.exec(head)?.[1];
  }
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
