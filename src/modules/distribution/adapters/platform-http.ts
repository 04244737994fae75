import { createHash, randomBytes } from 'node:crypto';
import { OutboundError, type OutboundHttpClient, type OutboundResponse } from '../../../platform/http-client/outbound.ts';
import { DeliveryError, type SettingProblem } from '../contract.ts';

/**
 * What the WeChat, Weibo and Douyin adapters share: one way to call a platform through the SSRF-guarded
 * outbound client, with the request's AbortSignal and a per-call deadline, and one rule for what a
 * failure means to the worker:
 *
 *  - nothing left our side (refused connection, DNS, a signal aborted before sending) → `retry`;
 *  - a call that changes nothing public (token, uploads, status reads) failed midway → `retry`;
 *  - a call that publishes (`effect: 'publish'`) was sent and no answer came (timeout, reset, 5xx,
 *    the signal aborted while waiting) → `unknown`, so the worker reconciles before sending again.
 */

export type CallEffect = 'read' | 'upload' | 'publish';

export interface PlatformCall {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Per-call deadline (the adapter's `timeoutMs` setting). */
  timeoutMs: number;
  signal: AbortSignal;
  effect: CallEffect;
  /** Shown in messages: 「微信 draft/add」. */
  label: string;
}

/**
 * The first of `keys` (URL settings) that the outbound client would refuse to call, with its reason.
 * Only the checks that need no network: a name is resolved, and judged, at delivery.
 */
export function urlSettingProblem(http: OutboundHttpClient, config: Record<string, unknown>, keys: readonly string[]): SettingProblem | null {
  for (const key of keys) {
    const value = config[key];
    if (typeof value !== 'string' || value === '') continue;
    try {
      http.checkUrl(value);
    } catch (err) {
      if (err instanceof OutboundError) return { key, zh: err.zh, en: err.message };
      throw err;
    }
  }
  return null;
}

const NOT_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/;

export async function callPlatform(http: OutboundHttpClient, url: string, call: PlatformCall): Promise<OutboundResponse> {
  if (call.signal.aborted) throw new DeliveryError('retry', `${call.label}：投递已取消，请求未发出 / cancelled before sending`);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new AbortedWhileWaiting());
    call.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const res = await Promise.race([
      http.request(url, { method: call.method ?? 'POST', headers: call.headers, body: call.body, timeoutMs: call.timeoutMs, maxRedirects: 0 }),
      aborted,
    ]);
    if (res.status >= 500) {
      throw failure(call, `${call.label}：平台返回 HTTP ${res.status} / the platform answered HTTP ${res.status}`, true);
    }
    if (res.status >= 400 && !looksJson(res)) {
      // Weibo answers its errors as 4xx with a JSON body, which the adapter reads; anything else is final here.
      throw new DeliveryError(res.status === 429 ? 'rate_limited' : 'rejected', `${call.label}：平台返回 HTTP ${res.status}：${res.text().slice(0, 200)}`, {
        platformCode: res.status,
      });
    }
    return res;
  } catch (err) {
    if (err instanceof DeliveryError) throw err;
    if (err instanceof AbortedWhileWaiting) {
      throw failure(call, `${call.label}：等待平台应答时投递被中止 / aborted while waiting for the platform`, true);
    }
    if (err instanceof OutboundError) {
      if (err.code === 'blocked_address' || err.code === 'bad_url') throw new DeliveryError('rejected', `${call.label}：${err.zh}`);
      const maybeSent = err.code === 'timeout' || (err.code === 'network' && !NOT_SENT.test(err.message)) || err.code === 'too_large';
      throw failure(call, `${call.label}：${err.zh} / ${err.message}`, maybeSent);
    }
    throw err;
  } finally {
    if (onAbort) call.signal.removeEventListener('abort', onAbort);
  }
}

class AbortedWhileWaiting extends Error {}

function looksJson(res: OutboundResponse): boolean {
  try {
    JSON.parse(res.text());
    return true;
  } catch {
    return false;
  }
}

function failure(call: PlatformCall, message: string, maybeSent: boolean): DeliveryError {
  if (maybeSent && call.effect === 'publish') {
    return new DeliveryError('unknown', `${message}；结果未知，重试前先核对平台 / outcome unknown, reconcile before any retry`);
  }
  return new DeliveryError('retry', message);
}

/** The JSON body, or a `retry` failure when the platform answered something else (a gateway page). */
export function jsonBody<T>(res: OutboundResponse, label: string, effect: CallEffect): T {
  try {
    return JSON.parse(res.text()) as T;
  } catch {
    throw new DeliveryError(
      effect === 'publish' ? 'unknown' : 'retry',
      `${label}：平台应答不是 JSON / the platform answered no JSON: ${res.text().slice(0, 120)}`,
    );
  }
}

/** A multipart/form-data body (RFC 7578) for the platforms' file uploads. */
export function multipart(
  fields: Record<string, string>,
  files: { name: string; filename: string; mime: string; bytes: Buffer }[],
): { body: Buffer; contentType: string } {
  const boundary = `----tianfu${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  const quote = (s: string) => s.replace(/["\r\n]/g, '_');
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quote(f.name)}"; filename="${quote(f.filename)}"\r\nContent-Type: ${f.mime}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * The short tag an adapter puts into the link it posts (`?tfk=…`), so reconciliation can recognise
 * its own post on the platform. A hash of the idempotency key: short, URL-safe, and it does not show
 * internal ids to readers.
 */
export function keyTag(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
}

export const TAG_PARAM = 'tfk';

export function linkWithTag(link: string, tag: string): string {
  const url = new URL(link);
  url.searchParams.set(TAG_PARAM, tag);
  return url.toString();
}

/** Joins an API base (config override or the real host) and a path. */
export function apiUrl(base: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** A channel setting as a string, or a clear `auth` failure naming what the unit admin must fill in. */
export function required(values: Record<string, unknown>, key: string, what: string): string {
  const v = values[key];
  if (typeof v !== 'string' || !v.trim()) {
    throw new DeliveryError('auth', `渠道缺少设置「${what}」(${key})，请单位管理员在渠道设置中填写 / the channel lacks ${key}`);
  }
  return v.trim();
}
