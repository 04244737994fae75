import { Type } from 'typebox';
import type { OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import { itemTypeLabels } from '../../../shared/labels.ts';
import { type ChannelAdapter, type ChannelRef, DeliveryError, type DeliveryRequest, type DeliveryResult } from '../contract.ts';
import { type CallEffect, urlSettingProblem, apiUrl, callPlatform, jsonBody, keyTag, multipart, required } from './platform-http.ts';
import { TokenCache } from './token-cache.ts';

/**
 * 抖音 — a video posted to the unit's authorised Douyin account (open.douyin.com, user OAuth):
 *
 *   POST /video/part/init/?open_id            → upload_id (valid 2 h)
 *   POST /video/part/upload/?open_id&upload_id&part_number   multipart `video`; parts from 1, ~20 MB each,
 *        none but the last under 5 MB; over 128 MB must be chunked, 4 GB at most
 *   POST /video/part/complete/?open_id&upload_id → video.video_id
 *   POST /video/create/?open_id {video_id, text} → item_id
 *   POST /video/delete/?open_id {item_id};  GET /video/list/?open_id&cursor&count (reconcile)
 *   header access-token: the user's token from /oauth/access_token/ (15 days); POST /oauth/refresh_token/
 *   (form client_key, grant_type=refresh_token, refresh_token — 30 days, its life unchanged by a refresh)
 *
 * Docs: open.douyin.com/platform/resource/docs/openapi/video-management/douyin/create/upload/ (chunk rules,
 * access-token header); developer.open-douyin.com/docs/resource/zh-CN/dop/develop/openapi/account-permission/
 * refresh-access-token; …/openapi/status-code (2190008 access_token expired → refresh once, 2190002 invalid,
 * 2100004 busy, 2100005 parameter invalid, 2190001/28003017 quota, 28003018 rate, 10010 refresh_token expired).
 *
 * Douyin takes video only: any other item is refused before a single call. No edit API: `update` is
 * unsupported; retraction deletes the video. A refreshed access token lives in this process's cache
 * (the contract has no way to store it back); after a restart the stored refresh_token renews it again.
 *
 * Not posting twice: a Douyin description cannot carry a hidden tag, so reconcile looks for a video on
 * the account with exactly the description we sent, among the latest ones.
 */

export const DOUYIN_API = 'https://open.douyin.com';
const MB = 1024 * 1024;
const MAX_VIDEO = 4 * 1024 * MB;

export const douyinSettings = {
  config: Type.Object(
    {
      clientKey: Type.String({ minLength: 1, maxLength: 64, description: '抖音开放平台应用 client_key' }),
      openId: Type.String({ minLength: 1, maxLength: 128, description: '授权账号的 open_id（授权时获得）' }),
      apiBase: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 300, description: '接口地址，默认 https://open.douyin.com' })),
    },
    { additionalProperties: false },
  ),
  secrets: Type.Object(
    {
      accessToken: Type.String({ minLength: 1, maxLength: 256, description: '用户授权的 access_token（act. 开头）' }),
      refreshToken: Type.String({ minLength: 1, maxLength: 256, description: 'refresh_token（rft. 开头，30 天有效）' }),
    },
    { additionalProperties: false },
  ),
};

export interface DouyinAdapterOptions {
  http: OutboundHttpClient;
  timeoutMs?: number;
  /** Part size of the chunked upload; the platform wants ~20 MB and at least 5 MB for all but the last. */
  chunkBytes?: number;
  /** Deadline of one part upload (20 MB takes a while on a county's uplink). */
  partTimeoutMs?: number;
  tokens?: TokenCache;
}

interface DyEnvelope<T> {
  data?: T & { error_code?: number; description?: string };
  extra?: { error_code?: number; description?: string; sub_description?: string };
  message?: string;
}

class ExpiredToken extends Error {}

const EXPIRED = new Set([2190008, 28001008, 10008, 2190002, 28001003]);
const AUTH = new Set([2100007, 2100009, 2190004, 2190015, 28001012, 28001014, 28001015, 28001016, 28001018, 28001019, 10003, 10004, 10013]);
const RATE = new Set([2190001, 28003017, 28003018, 2118110]);
const BUSY = new Set([2100004, 28001005, 28001006]);
const HOUR = 3_600_000;

export function createDouyinAdapter(options: DouyinAdapterOptions): ChannelAdapter {
  const { http } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const chunkBytes = options.chunkBytes ?? 20 * MB;
  const partTimeoutMs = options.partTimeoutMs ?? Math.max(timeoutMs, 180_000);
  const tokens = options.tokens ?? new TokenCache(60_000);
  const base = (channel: ChannelRef) => (typeof channel.config.apiBase === 'string' && channel.config.apiBase) || DOUYIN_API;
  // The stored tokens are part of the key: after the admin authorises again, the new ones are used at once.
  const cacheKey = (channel: ChannelRef) =>
    `douyin:${channel.id}:${String(channel.config.openId)}:${keyTag(`${channel.secrets.accessToken}\n${channel.secrets.refreshToken}`)}`;

  function check<T>(body: DyEnvelope<T>, label: string): T & { error_code?: number } {
    const code = body.data?.error_code ?? body.extra?.error_code ?? 0;
    if (code === 0 && body.data) return body.data;
    const description = body.data?.description || body.extra?.description || body.message || '';
    const msg = `${label}：抖音返回 ${code} ${description}`.trim();
    if (EXPIRED.has(code)) throw new ExpiredToken(msg);
    if (code === 10010) {
      throw new DeliveryError('auth', `${msg}。refresh_token 已过期（30 天），请单位管理员重新授权抖音账号`, { platformCode: code });
    }
    if (AUTH.has(code)) throw new DeliveryError('auth', `${msg}（应用或账号无权限，或账号与 open_id 不匹配）`, { platformCode: code });
    if (RATE.has(code)) throw new DeliveryError('rate_limited', `${msg}（调用额度或频率超限）`, { platformCode: code, retryAfterMs: HOUR });
    if (BUSY.has(code)) throw new DeliveryError('retry', `${msg}（系统繁忙）`, { platformCode: code });
    throw new DeliveryError('rejected', msg, { platformCode: code });
  }

  async function refresh(req: DeliveryRequest) {
    const channel = req.channel;
    const clientKey = required(channel.config, 'clientKey', '抖音 client_key');
    const refreshToken = tokens.peek(cacheKey(channel))?.extra?.refreshToken ?? required(channel.secrets, 'refreshToken', '抖音 refresh_token');
    const res = await callPlatform(http, apiUrl(base(channel), '/oauth/refresh_token/'), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_key: clientKey, grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
      timeoutMs,
      signal: req.signal,
      effect: 'read',
      label: '抖音 refresh_token',
    });
    let data: { access_token?: string; expires_in?: number | string; refresh_token?: string };
    try {
      data = check(jsonBody<DyEnvelope<typeof data>>(res, '抖音 refresh_token', 'read'), '抖音 refresh_token');
    } catch (err) {
      if (err instanceof ExpiredToken) throw new DeliveryError('auth', `${err.message}（请重新授权抖音账号）`);
      throw err;
    }
    if (!data.access_token) throw new DeliveryError('retry', '抖音 refresh_token：应答缺少 access_token');
    return { token: data.access_token, expiresInSec: Number(data.expires_in ?? 86_400), extra: { refreshToken: data.refresh_token || refreshToken } };
  }

  /** The stored token until Douyin says it expired; then one refresh and the call once more. */
  async function withToken<T>(req: DeliveryRequest, call: (token: string) => Promise<T>): Promise<T> {
    const key = cacheKey(req.channel);
    const current =
      tokens.peek(key) ??
      (await tokens.get(key, async () => ({ token: required(req.channel.secrets, 'accessToken', '抖音 access_token'), expiresInSec: 15 * 86_400 })));
    try {
      return await call(current.token);
    } catch (err) {
      if (!(err instanceof ExpiredToken)) throw err;
      tokens.invalidate(key, current.token);
      const fresh = await tokens.refresh(key, () => refresh(req));
      try {
        return await call(fresh.token);
      } catch (again) {
        if (again instanceof ExpiredToken) throw new DeliveryError('auth', `${again.message}（刷新 access_token 后仍无效，请重新授权）`);
        throw again;
      }
    }
  }

  async function call<T>(
    req: DeliveryRequest,
    path: string,
    effect: CallEffect,
    init: {
      method?: 'GET' | 'POST';
      query?: Record<string, string | number>;
      json?: unknown;
      form?: { body: Buffer; contentType: string };
      timeoutMs?: number;
    } = {},
  ) {
    const label = `抖音 ${path.replace(/^\/|\/$/g, '')}`;
    const openId = required(req.channel.config, 'openId', '抖音 open_id');
    return withToken(req, async (token) => {
      const headers: Record<string, string> = { 'access-token': token };
      let body: string | Buffer | undefined;
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.json);
      } else if (init.form) {
        headers['content-type'] = init.form.contentType;
        body = init.form.body;
      }
      const res = await callPlatform(http, apiUrl(base(req.channel), path, { open_id: openId, ...init.query }), {
        method: init.method ?? 'POST',
        headers,
        body,
        timeoutMs: init.timeoutMs ?? timeoutMs,
        signal: req.signal,
        effect,
        label,
      });
      return check(jsonBody<DyEnvelope<T>>(res, label, effect), label);
    });
  }

  /** The video's bytes: the rendition's video, else the cover asset if that is the video. */
  async function loadVideo(req: DeliveryRequest) {
    const candidates = [req.rendition.videoAssetId, req.source?.coverAssetId, req.rendition.cover?.assetId].filter(
      (id, i, all): id is string => !!id && all.indexOf(id) === i,
    );
    for (const id of candidates) {
      const media = await req.media.load(id, 'original');
      if (media.mime.startsWith('video/')) return media;
    }
    throw new DeliveryError('rejected', '抖音只发布视频：该稿件没有可上传的视频文件，请在稿件中添加视频');
  }

  async function upload(req: DeliveryRequest, video: { bytes: Buffer; mime: string; filename: string }): Promise<string> {
    if (video.bytes.length > MAX_VIDEO) throw new DeliveryError('rejected', '抖音视频总大小不能超过 4 GB');
    const init = await call<{ upload_id?: string }>(req, '/video/part/init/', 'upload');
    if (!init.upload_id) throw new DeliveryError('retry', '抖音 video/part/init：应答缺少 upload_id');
    const parts = Math.max(1, Math.ceil(video.bytes.length / chunkBytes));
    for (let part = 1; part <= parts; part++) {
      const chunk = video.bytes.subarray((part - 1) * chunkBytes, part * chunkBytes);
      const form = multipart({}, [{ name: 'video', filename: video.filename || 'video.mp4', mime: video.mime, bytes: Buffer.from(chunk) }]);
      await call(req, '/video/part/upload/', 'upload', { query: { upload_id: init.upload_id, part_number: part }, form, timeoutMs: partTimeoutMs });
    }
    const done = await call<{ video?: { video_id?: string } }>(req, '/video/part/complete/', 'upload', { query: { upload_id: init.upload_id } });
    if (!done.video?.video_id) throw new DeliveryError('retry', '抖音 video/part/complete：应答缺少 video_id');
    return done.video.video_id;
  }

  const postText = (req: DeliveryRequest) => (req.rendition.text ?? req.rendition.title).trim();

  type Listed = { item_id: string; title?: string; share_url?: string };

  async function findOwn(req: DeliveryRequest): Promise<DeliveryResult | null> {
    const text = postText(req);
    let cursor = 0;
    for (let page = 0; page < 3; page++) {
      const list = await call<{ list?: Listed[]; cursor?: number; has_more?: boolean }>(req, '/video/list/', 'read', {
        method: 'GET',
        query: { cursor, count: 20 },
      });
      const hit = (list.list ?? []).find((v) => (v.title ?? '').trim() === text);
      if (hit) return { remoteId: hit.item_id, remoteUrl: hit.share_url ?? null };
      if (!list.has_more || list.cursor === undefined) break;
      cursor = list.cursor;
    }
    return null;
  }

  async function publish(req: DeliveryRequest): Promise<DeliveryResult> {
    if (req.source && req.source.type !== 'video') {
      throw new DeliveryError('rejected', `抖音只发布视频稿件，该稿件类型为「${itemTypeLabels[req.source.type][0]}」，未发送`);
    }
    const video = await loadVideo(req);
    const videoId = await upload(req, video);
    const created = await call<{ item_id?: string }>(req, '/video/create/', 'publish', { json: { video_id: videoId, text: postText(req) } });
    if (!created.item_id) throw new DeliveryError('unknown', '抖音 video/create：应答缺少 item_id，结果未知');
    // The share page is only in the list; a missing URL is not worth a failure.
    const listed = await findOwn(req).catch(() => null);
    return { remoteId: created.item_id, remoteUrl: listed?.remoteId === created.item_id ? listed.remoteUrl : null };
  }

  return {
    kind: 'douyin',
    supports: { update: false, retract: true },
    settings: douyinSettings,
    checkConfig: (config) => urlSettingProblem(http, config, ['apiBase']),
    // a video of some hundred MB in 20 MB parts
    deliverTimeoutMs: 15 * 60_000,
    async deliver(req) {
      if (req.action === 'update') throw new DeliveryError('rejected', '抖音不支持修改已发布的视频，更正将以门户更正说明留痕');
      if (req.action === 'retract') {
        const itemId = req.remote?.id;
        if (!itemId) throw new DeliveryError('rejected', '没有该稿件在本抖音账号的发布记录，无法删除');
        try {
          await call(req, '/video/delete/', 'publish', { json: { item_id: itemId } });
        } catch (err) {
          // Already gone from the account: nothing left to delete.
          if (!(err instanceof DeliveryError && err.detail.platformCode === 2100005 && !(await findById(req, itemId)))) throw err;
        }
        return { remoteId: itemId, remoteUrl: req.remote?.url ?? null };
      }
      return publish(req);
    },
    async reconcile(req) {
      if (req.action !== 'publish') return null;
      return findOwn(req);
    },
  };

  async function findById(req: DeliveryRequest, itemId: string): Promise<boolean> {
    const list = await call<{ list?: Listed[] }>(req, '/video/list/', 'read', { method: 'GET', query: { cursor: 0, count: 20 } });
    return (list.list ?? []).some((v) => v.item_id === itemId);
  }
}
