import { Type } from 'typebox';
import type { OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import {
  type ChannelAdapter,
  type ChannelRef,
  type CoverCrop,
  DeliveryError,
  type DeliveryRequest,
  type DeliveryResult,
} from '../contract.ts';
import { pictureFor } from './picture.ts';
import { type CallEffect, urlSettingProblem, TAG_PARAM, apiUrl, callPlatform, jsonBody, keyTag, linkWithTag, multipart, required, sleep } from './platform-http.ts';
import { TokenCache } from './token-cache.ts';

/**
 * 微信公众号 (WeChat Official Account) — publishing through the draft box and 发表 (freepublish):
 *
 *   stable_token → media/uploadimg (each body image) → material/add_material (cover) → draft/add
 *   → freepublish/submit → freepublish/get (poll until publish_status ≠ 1)
 *
 * Documented at developers.weixin.qq.com:
 *   /doc/service/api/base/api_getstableaccesstoken       POST /cgi-bin/stable_token {grant_type, appid, secret, force_refresh}
 *   /doc/service/api/material/permanent/api_uploadimage  POST /cgi-bin/media/uploadimg (multipart media; jpg/png < 1 MB) → url
 *   /doc/subscription/en/api/draftbox/draftmanage/api_draft_add  POST /cgi-bin/draft/add {articles:[…]} → media_id
 *   /doc/subscription/api/public/api_freepublish_submit.html     POST /cgi-bin/freepublish/submit {media_id} → publish_id
 *   /doc/service/api/public/api_freepublish_get          POST /cgi-bin/freepublish/get {publish_id} → publish_status 0…6
 *   /doc/service/api/public/api_freepublish_batchget     POST /cgi-bin/freepublish/batchget {offset, count(1–20), no_content}
 *   /doc/service/api/public/api_freepublishdelete        POST /cgi-bin/freepublish/delete {article_id, index}
 *   Global return codes (全局返回码): -1 busy, 40001/40014/42001 token invalid or expired, 40013 bad appid,
 *   40125 bad secret, 40164 IP not whitelisted, 45009 API quota reached, 48001 API not authorised.
 *
 * A published article cannot be edited through the API, so `update` is not supported (corrections leave
 * a trail on the portal). Retraction deletes the article (freepublish/delete).
 *
 * Not posting twice: the article's 阅读原文 link (content_source_url) carries ?tfk=<hash of the
 * idempotency key>. After a submit whose answer was lost, reconcile looks for that link among the
 * published articles (batchget); for a submit still under way it follows the publish_id, or — when
 * even that answer was lost — asks whether the draft is still in the draft box (a submitted draft
 * leaves it), so it never reports "not there" for an article that is merely still being published.
 */

export const WECHAT_API = 'https://api.weixin.qq.com';

export const wechatSettings = {
  config: Type.Object(
    {
      appId: Type.String({ minLength: 1, maxLength: 64, pattern: '^wx[0-9A-Za-z]+$', description: '公众号 AppID（wx 开头）' }),
      author: Type.Optional(Type.String({ maxLength: 32, description: '默认作者（稿件无署名时使用）' })),
      needOpenComment: Type.Optional(Type.Boolean({ description: '打开留言' })),
      onlyFansCanComment: Type.Optional(Type.Boolean({ description: '仅粉丝可留言' })),
      defaultThumbMediaId: Type.Optional(
        Type.String({ maxLength: 128, description: '稿件无封面时使用的封面：公众平台素材库中永久图片素材的 media_id' }),
      ),
      apiBase: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 300, description: '接口地址，默认 https://api.weixin.qq.com' })),
    },
    { additionalProperties: false },
  ),
  secrets: Type.Object({ appSecret: Type.String({ minLength: 1, maxLength: 128, description: '公众号 AppSecret' }) }, { additionalProperties: false }),
};

export interface WechatAdapterOptions {
  http: OutboundHttpClient;
  /** Deadline of each call to WeChat. */
  timeoutMs?: number;
  /** How often freepublish/get is asked while publish_status is 1 (发布中). */
  pollIntervalMs?: number;
  /** How long deliver waits for a submitted article to go live before reporting `unknown`. */
  publishWaitMs?: number;
  tokens?: TokenCache;
}

interface WxError {
  errcode?: number;
  errmsg?: string;
}

/** The token was refused: fetch a fresh one and repeat the call once. */
class StaleToken extends Error {}

const STALE_TOKEN = new Set([40001, 40014, 42001]);
const AUTH = new Set([40002, 40013, 40125, 40164, 41001, 41002, 41004, 48001, 50001, 50002, 61024]);
const HOUR = 3_600_000;

const publishFailures: Record<number, { failure: 'rejected' | 'retry'; zh: string }> = {
  2: { failure: 'rejected', zh: '原创声明校验失败' },
  3: { failure: 'retry', zh: '常规失败（平台未发表，可重试）' },
  4: { failure: 'rejected', zh: '平台审核不通过' },
  5: { failure: 'rejected', zh: '发表成功后已被删除' },
  6: { failure: 'rejected', zh: '发表成功后被系统封禁' },
};

export function createWechatAdapter(options: WechatAdapterOptions): ChannelAdapter {
  const http = options.http;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const pollIntervalMs = options.pollIntervalMs ?? 3_000;
  const publishWaitMs = options.publishWaitMs ?? 120_000;
  const tokens = options.tokens ?? new TokenCache();
  /** Submits whose outcome this process has not seen yet, by idempotency key (see reconcile). */
  const pending = new Map<string, { mediaId: string; publishId: string | null }>();

  const base = (channel: ChannelRef) => (typeof channel.config.apiBase === 'string' && channel.config.apiBase) || WECHAT_API;
  const cacheKey = (channel: ChannelRef) => `wechat:${channel.id}:${String(channel.config.appId)}`;

  /** Maps {errcode, errmsg} to what the worker does next; a stale token becomes StaleToken. */
  function check<T extends WxError>(body: T, label: string): T {
    const code = body.errcode ?? 0;
    if (code === 0) return body;
    const msg = `${label}：微信返回 ${code} ${body.errmsg ?? ''}`.trim();
    if (STALE_TOKEN.has(code)) throw new StaleToken(msg);
    if (AUTH.has(code)) throw new DeliveryError('auth', `${msg}（请检查 AppID/AppSecret、IP 白名单与接口权限）`, { platformCode: code });
    if (code === 45009) throw new DeliveryError('rate_limited', `${msg}（接口调用超过限制）`, { platformCode: code, retryAfterMs: HOUR });
    if (code === 45011) throw new DeliveryError('rate_limited', `${msg}（调用太频繁）`, { platformCode: code, retryAfterMs: 60_000 });
    if (code === -1) throw new DeliveryError('retry', `${msg}（系统繁忙）`, { platformCode: code });
    // 45166 invalid content, 4500x length limits, 40005/40009 image type/size, 53503–53505 发表检查 …
    throw new DeliveryError('rejected', msg, { platformCode: code });
  }

  async function fetchToken(channel: ChannelRef, signal: AbortSignal) {
    const appid = required(channel.config, 'appId', '公众号 AppID');
    const secret = required(channel.secrets, 'appSecret', '公众号 AppSecret');
    const res = await callPlatform(http, apiUrl(base(channel), '/cgi-bin/stable_token'), {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid, secret, force_refresh: false }),
      timeoutMs,
      signal,
      effect: 'read',
      label: '微信 stable_token',
    });
    const body = jsonBody<WxError & { access_token?: string; expires_in?: number }>(res, '微信 stable_token', 'read');
    try {
      check(body, '微信 stable_token');
    } catch (err) {
      // At the token endpoint 40001 means a wrong AppSecret, not a stale token.
      if (err instanceof StaleToken) throw new DeliveryError('auth', `${err.message}（AppSecret 错误）`, { platformCode: body.errcode });
      throw err;
    }
    if (!body.access_token) throw new DeliveryError('retry', '微信 stable_token：应答缺少 access_token');
    return { token: body.access_token, expiresInSec: body.expires_in ?? 7200 };
  }

  /** Runs `call` with the channel's token; on 40001/42001/40014 fetches a fresh token and runs it once more. */
  async function withToken<T>(channel: ChannelRef, signal: AbortSignal, call: (token: string) => Promise<T>): Promise<T> {
    const key = cacheKey(channel);
    const first = await tokens.get(key, () => fetchToken(channel, signal));
    try {
      return await call(first.token);
    } catch (err) {
      if (!(err instanceof StaleToken)) throw err;
      tokens.invalidate(key, first.token);
      const fresh = await tokens.refresh(key, () => fetchToken(channel, signal));
      try {
        return await call(fresh.token);
      } catch (again) {
        if (again instanceof StaleToken) throw new DeliveryError('auth', `${again.message}（刷新 access_token 后仍被拒绝）`);
        throw again;
      }
    }
  }

  async function post<T extends WxError>(
    channel: ChannelRef,
    signal: AbortSignal,
    path: string,
    effect: CallEffect,
    payload: { json: unknown } | { body: Buffer; contentType: string },
    query: Record<string, string> = {},
  ): Promise<T> {
    const label = `微信 ${path.replace('/cgi-bin/', '')}`;
    return withToken(channel, signal, async (token) => {
      const res = await callPlatform(http, apiUrl(base(channel), path, { access_token: token, ...query }), {
        headers: { 'content-type': 'json' in payload ? 'application/json' : payload.contentType },
        body: 'json' in payload ? JSON.stringify(payload.json) : payload.body,
        timeoutMs,
        signal,
        effect,
        label,
      });
      return check(jsonBody<T>(res, label, effect), label);
    });
  }

  async function uploadImage(req: DeliveryRequest, assetId: string, rendition: CoverCrop | 'original', path: string) {
    const body = path === '/cgi-bin/media/uploadimg';
    // uploadimg: jpg/png under 1 MB; add_material image: bmp/png/jpeg/gif (2 MB kept as the safe limit).
    const media = await pictureFor(await req.media.load(assetId, rendition), {
      accept: body ? ['image/jpeg', 'image/png'] : ['image/jpeg', 'image/png', 'image/gif'],
      maxBytes: body ? 1024 * 1024 : 2 * 1024 * 1024,
      label: body ? '微信正文图片' : '微信封面图',
    });
    const form = multipart({}, [{ name: 'media', filename: media.filename, mime: media.mime, bytes: media.bytes }]);
    return post<WxError & { url?: string; media_id?: string }>(req.channel, req.signal, path, 'upload', form, body ? {} : { type: 'image' });
  }

  /** Uploads each body image once and points its <img> at WeChat's copy (WeChat shows no outside pictures). */
  async function bodyWithWechatImages(req: DeliveryRequest, html: string): Promise<string> {
    const ids = [...new Set([...html.matchAll(/<img\b[^>]*\bdata-asset-id="([^"]+)"[^>]*>/g)].map((m) => m[1]!))];
    const urls = new Map<string, string>();
    for (const id of ids) {
      const uploaded = await uploadImage(req, id, 'large', '/cgi-bin/media/uploadimg');
      if (!uploaded.url) throw new DeliveryError('retry', `微信 uploadimg：图片 ${id} 的应答缺少 url`);
      urls.set(id, uploaded.url);
    }
    return html.replace(/<img\b[^>]*\bdata-asset-id="([^"]+)"[^>]*>/g, (tag, id: string) => {
      const url = escapeAttr(urls.get(id)!);
      return /\bsrc="[^"]*"/.test(tag) ? tag.replace(/\bsrc="[^"]*"/, `src="${url}"`) : tag.replace(/^<img\b/, `<img src="${url}"`);
    });
  }

  type Status = WxError & { publish_status?: number; article_id?: string; article_detail?: { item?: { idx: number; article_url: string }[] } };

  const statusOf = (req: DeliveryRequest, publishId: string) =>
    post<Status>(req.channel, req.signal, '/cgi-bin/freepublish/get', 'read', { json: { publish_id: publishId } });

  function finalResult(status: Status, publishId: string): DeliveryResult {
    const code = status.publish_status ?? -1;
    if (code === 0 && status.article_id) {
      return { remoteId: status.article_id, remoteUrl: status.article_detail?.item?.[0]?.article_url ?? null };
    }
    const known = publishFailures[code];
    if (known) throw new DeliveryError(known.failure, `微信发表失败：${known.zh}（publish_id ${publishId}，publish_status ${code}）`, { platformCode: code });
    throw new DeliveryError('unknown', `微信发表状态无法识别：publish_status ${code}（publish_id ${publishId}）`, { platformCode: code });
  }

  async function publish(req: DeliveryRequest): Promise<DeliveryResult> {
    const { rendition } = req;
    if (!rendition.html) throw new DeliveryError('rejected', '微信图文缺少正文（rendition.html 为空）');
    const config = req.channel.config;
    const fallbackThumb = typeof config.defaultThumbMediaId === 'string' && config.defaultThumbMediaId.trim() ? config.defaultThumbMediaId.trim() : null;
    if (!rendition.cover && !fallbackThumb) {
      throw new DeliveryError('rejected', '微信公众号图文必须有封面图：请为稿件设置封面，或在渠道设置中填写默认封面素材 media_id');
    }
    const sourceUrl = linkWithTag(rendition.link, keyTag(req.idempotencyKey));

    const content = await bodyWithWechatImages(req, rendition.html);
    const cover = rendition.cover ? await uploadImage(req, rendition.cover.assetId, rendition.cover.crop, '/cgi-bin/material/add_material') : { media_id: fallbackThumb! };
    if (!cover.media_id) throw new DeliveryError('retry', '微信 add_material：应答缺少 media_id');
    const article = {
      title: rendition.title,
      author: req.source?.byline || (typeof config.author === 'string' ? config.author : ''),
      digest: rendition.summary,
      content,
      content_source_url: sourceUrl,
      thumb_media_id: cover.media_id,
      need_open_comment: config.needOpenComment ? 1 : 0,
      only_fans_can_comment: config.onlyFansCanComment ? 1 : 0,
    };
    const draft = await post<WxError & { media_id?: string }>(req.channel, req.signal, '/cgi-bin/draft/add', 'upload', { json: { articles: [article] } });
    if (!draft.media_id) throw new DeliveryError('retry', '微信 draft/add：应答缺少 media_id');

    pending.set(req.idempotencyKey, { mediaId: draft.media_id, publishId: null });
    const submitted = await post<WxError & { publish_id?: string }>(req.channel, req.signal, '/cgi-bin/freepublish/submit', 'publish', {
      json: { media_id: draft.media_id },
    });
    const publishId = submitted.publish_id;
    if (!publishId) throw new DeliveryError('unknown', '微信 freepublish/submit：应答缺少 publish_id，结果未知');
    pending.set(req.idempotencyKey, { mediaId: draft.media_id, publishId });

    const deadline = Date.now() + publishWaitMs;
    for (;;) {
      let status: Status;
      try {
        status = await statusOf(req, publishId);
      } catch (err) {
        // Submitted: whatever goes wrong while watching, the outcome is for reconcile to find out.
        if (err instanceof DeliveryError && err.failure !== 'auth') {
          throw new DeliveryError('unknown', `微信已受理发表（publish_id ${publishId}），查询状态失败：${err.message}`, err.detail);
        }
        throw err;
      }
      if (status.publish_status !== 1) {
        pending.delete(req.idempotencyKey);
        return finalResult(status, publishId);
      }
      if (Date.now() >= deadline || req.signal.aborted) {
        throw new DeliveryError('unknown', `微信仍在发表中（publish_id ${publishId}），稍后核对结果`);
      }
      await sleep(pollIntervalMs, req.signal);
    }
  }

  async function retract(req: DeliveryRequest): Promise<DeliveryResult> {
    const articleId = req.remote?.id;
    if (!articleId) throw new DeliveryError('rejected', '没有该稿件在本公众号的发表记录（article_id），无法删除');
    try {
      await post(req.channel, req.signal, '/cgi-bin/freepublish/delete', 'publish', { json: { article_id: articleId, index: 0 } });
    } catch (err) {
      // Already gone (deleted by hand in the 公众平台): the retraction has nothing left to do.
      if (!(err instanceof DeliveryError && err.detail.platformCode === 40007)) throw err;
    }
    return { remoteId: articleId, remoteUrl: req.remote?.url ?? null };
  }

  type BatchItem = { article_id: string; content?: { news_item?: { title?: string; content_source_url?: string; url?: string }[] } };

  /** Looks through the latest published articles (newest first, 20 a page) for one that `match`es. */
  async function findPublished(req: DeliveryRequest, match: (item: BatchItem, link: string | undefined) => boolean, maxPages = 5): Promise<DeliveryResult | null> {
    for (let page = 0; page < maxPages; page++) {
      const list = await post<WxError & { total_count?: number; item?: BatchItem[] }>(req.channel, req.signal, '/cgi-bin/freepublish/batchget', 'read', {
        json: { offset: page * 20, count: 20, no_content: 1 },
      });
      for (const item of list.item ?? []) {
        for (const news of item.content?.news_item ?? []) {
          if (match(item, news.content_source_url)) return { remoteId: item.article_id, remoteUrl: news.url ?? null };
        }
      }
      if (!list.item?.length || (page + 1) * 20 >= (list.total_count ?? 0)) break;
    }
    return null;
  }

  return {
    kind: 'wechat',
    supports: { update: false, retract: true },
    settings: wechatSettings,
    checkConfig: (config) => urlSettingProblem(http, config, ['apiBase']),
    // uploads, draft, submit, then up to publishWaitMs of polling
    deliverTimeoutMs: publishWaitMs + 4 * timeoutMs + 30_000,
    async deliver(req) {
      if (req.action === 'retract') return retract(req);
      if (req.action === 'update') throw new DeliveryError('rejected', '微信公众号不支持修改已发表的图文，更正将以门户更正说明留痕');
      return publish(req);
    },
    async reconcile(req) {
      if (req.action !== 'publish') return req.action === 'retract' ? reconcileRetract(req) : null;
      const tag = keyTag(req.idempotencyKey);
      const found = await findPublished(req, (_, link) => !!link && tagOf(link) === tag);
      if (found) {
        pending.delete(req.idempotencyKey);
        return found;
      }
      const sent = pending.get(req.idempotencyKey);
      if (!sent) return null;
      if (sent.publishId) {
        const status = await statusOf(req, sent.publishId);
        if (status.publish_status === 1) throw new DeliveryError('unknown', `微信仍在发表中（publish_id ${sent.publishId}），稍后再核对`);
        pending.delete(req.idempotencyKey);
        if (status.publish_status === 0) return finalResult(status, sent.publishId);
        return null; // 发表失败: nothing is live, sending again is safe.
      }
      // The submit's answer was lost. A submitted draft leaves the draft box; one still there was never submitted.
      try {
        await post(req.channel, req.signal, '/cgi-bin/draft/get', 'read', { json: { media_id: sent.mediaId } });
        pending.delete(req.idempotencyKey);
        return null;
      } catch (err) {
        if (err instanceof DeliveryError && err.detail.platformCode === 40007) {
          throw new DeliveryError('unknown', '微信已受理发表但尚未出现在发表记录中，稍后再核对');
        }
        throw err;
      }
    },
  };

  /** A retraction whose answer was lost: done when the article is no longer among the published ones. */
  async function reconcileRetract(req: DeliveryRequest): Promise<DeliveryResult | null> {
    const remote = req.remote;
    if (!remote) return null;
    const found = await findPublished(req, (item) => item.article_id === remote.id);
    if (found) return null;
    return { remoteId: remote.id, remoteUrl: remote.url };
  }
}

function tagOf(link: string): string | null {
  try {
    return new URL(link).searchParams.get(TAG_PARAM);
  } catch {
    return null;
  }
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
