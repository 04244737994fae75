import { Type } from 'typebox';
import type { OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import { type ChannelAdapter, type ChannelRef, DeliveryError, type DeliveryRequest, type DeliveryResult } from '../contract.ts';
import { shorten, textLength } from '../renditions/length.ts';
import { pictureFor } from './picture.ts';
import { type CallEffect, urlSettingProblem, apiUrl, callPlatform, jsonBody, keyTag, linkWithTag, multipart, required } from './platform-http.ts';

/**
 * 微博 — a post with a link back to the story, through the third-party share API:
 *
 *   POST https://api.weibo.com/2/statuses/share.json   (open.weibo.com/wiki/2/statuses/share)
 *     access_token; status — URL-encoded, at most 140 汉字, no “#话题词#”, and it must contain at least one
 *     URL under the app's bound 安全域名 (我的应用 › 应用信息 › 安全域名); pic — JPEG/GIF/PNG < 5 MB, then
 *     multipart/form-data; rip — the operating user's real IP.
 *   GET  /2/statuses/user_timeline.json  — the account's latest posts (reconcile)
 *   POST /2/statuses/destroy.json (id)   — delete a post (retract)
 *
 * The access token comes from the OAuth2 authorisation (/oauth2/access_token) the unit admin did, and is
 * stored as the channel secret. Web apps get no refresh token, so an expired or revoked token
 * (21327 expired_token, 21332 invalid_access_token, 21314–21317) is `auth` with a message telling the
 * admin to authorise again. Errors are {request, error_code, error} (open.weibo.com/wiki/Error_code):
 * 10022/10023/10024 request rate limits → rate_limited; 20012 too long, 20017/20019 repeated text,
 * 20018 illegal link, 20020 advertising, 20021 illegal content → rejected; 20032 "posted, server slow" →
 * unknown. Weibo has no edit API: `update` is unsupported, retraction deletes the post.
 *
 * Not posting twice: Weibo shows links as t.cn short links, so a post cannot be found by its long link.
 * Reconcile compares the text around the links with what we sent; and a retry that Weibo refuses as
 * repeated content (20019) is answered with the post already there.
 */

export const WEIBO_API = 'https://api.weibo.com';
/** statuses/share: “内容不超过140个汉字”. */
export const SHARE_MAX = 140;

export const weiboSettings = {
  config: Type.Object(
    {
      boundDomain: Type.String({
        minLength: 3,
        maxLength: 253,
        pattern: '^[A-Za-z0-9.-]+$',
        description: '微博应用的安全域名（帖子中的链接必须在该域名下，如 news.example.cn）',
      }),
      reportIp: Type.Optional(Type.String({ maxLength: 45, description: '上报的操作用户真实 IP' })),
      apiBase: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 300, description: '接口地址，默认 https://api.weibo.com' })),
    },
    { additionalProperties: false },
  ),
  secrets: Type.Object(
    { accessToken: Type.String({ minLength: 1, maxLength: 256, description: 'OAuth2 授权得到的 access_token' }) },
    { additionalProperties: false },
  ),
};

export interface WeiboAdapterOptions {
  http: OutboundHttpClient;
  timeoutMs?: number;
}

interface WeiboError {
  error_code?: number | string;
  error?: string;
}

interface WeiboStatus extends WeiboError {
  id?: number;
  idstr?: string;
  text?: string;
  user?: { idstr?: string };
}

const TOKEN_GONE = new Set([21314, 21315, 21316, 21317, 21327, 21332, 21501]);
const AUTH = new Set([10006, 10013, 10014, 20003, 21301]);
const RATE = new Set([10022, 10023, 10024, 20016]);
const BUSY = new Set([10001, 10002, 10009, 10010, 10011]);
const HOUR = 3_600_000;

/** Weibo's count: two half-width characters make one 汉字, and a link counts as its t.cn short link (~10). */
export function weiboLength(text: string): number {
  let half = 0;
  const rest = text.replace(/https?:\/\/[^\s]+/g, () => ((half += 20), ''));
  for (const ch of rest) half += ch.codePointAt(0)! > 0xff ? 2 : 1;
  return Math.ceil(half / 2);
}

/** The text with every link taken out and spaces squeezed: what survives Weibo's t.cn rewriting. */
const withoutLinks = (text: string) => text.replace(/https?:\/\/[^\s]+/g, '').replace(/\s+/g, ' ').trim();

const inDomain = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

export function createWeiboAdapter(options: WeiboAdapterOptions): ChannelAdapter {
  const { http } = options;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const base = (channel: ChannelRef) => (typeof channel.config.apiBase === 'string' && channel.config.apiBase) || WEIBO_API;

  function check<T extends WeiboError>(body: T, label: string): T {
    if (body.error_code === undefined || body.error_code === null || Number(body.error_code) === 0) return body;
    const code = Number(body.error_code);
    const msg = `${label}：微博返回 ${code} ${body.error ?? ''}`.trim();
    if (TOKEN_GONE.has(code)) {
      throw new DeliveryError('auth', `${msg}。微博授权已过期或被撤销，请单位管理员重新授权并在渠道设置中更新 access_token`, { platformCode: code });
    }
    if (AUTH.has(code)) throw new DeliveryError('auth', `${msg}（应用或账号无权调用该接口）`, { platformCode: code });
    if (RATE.has(code)) throw new DeliveryError('rate_limited', `${msg}（请求频次超过上限）`, { platformCode: code, retryAfterMs: HOUR });
    if (BUSY.has(code)) throw new DeliveryError('retry', `${msg}（微博系统繁忙）`, { platformCode: code });
    if (code === 20032) throw new DeliveryError('unknown', `${msg}（已发布但服务器较慢，稍后核对）`, { platformCode: code });
    if (code === 10017 && /domain|url|域名/i.test(body.error ?? '')) {
      throw new DeliveryError('rejected', `${msg}：帖子中的链接不在应用绑定的安全域名下`, { platformCode: code });
    }
    throw new DeliveryError('rejected', msg, { platformCode: code });
  }

  async function call<T extends WeiboError>(
    req: DeliveryRequest,
    path: string,
    effect: CallEffect,
    init: { method: 'GET'; query: Record<string, string | number> } | { method: 'POST'; fields: Record<string, string>; pic?: { bytes: Buffer; mime: string; filename: string } },
  ): Promise<T> {
    const token = required(req.channel.secrets, 'accessToken', '微博 access_token');
    const label = `微博 ${path.replace('/2/', '')}`;
    let url: string;
    let headers: Record<string, string> = {};
    let body: string | Buffer | undefined;
    if (init.method === 'GET') {
      url = apiUrl(base(req.channel), path, { access_token: token, ...init.query });
    } else {
      url = apiUrl(base(req.channel), path);
      const fields = { access_token: token, ...init.fields };
      if (init.pic) {
        const form = multipart(fields, [{ name: 'pic', ...init.pic }]);
        headers = { 'content-type': form.contentType };
        body = form.body;
      } else {
        headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
        body = new URLSearchParams(fields).toString();
      }
    }
    const res = await callPlatform(http, url, { method: init.method, headers, body, timeoutMs, signal: req.signal, effect, label });
    return check(jsonBody<T>(res, label, effect), label);
  }

  /** The text we post: the link tagged with the idempotency hash, checked against share.json's documented rules. */
  function postText(req: DeliveryRequest): string {
    const { rendition } = req;
    const domain = required(req.channel.config, 'boundDomain', '微博安全域名').toLowerCase();
    let text = rendition.text?.trim();
    if (!text) throw new DeliveryError('rejected', '微博帖子没有正文（rendition.text 为空）');
    const link = linkWithTag(rendition.link, keyTag(req.idempotencyKey));
    text = text.includes(rendition.link) ? text.split(rendition.link).join(link) : `${text} ${link}`;
    const hosts = [...text.matchAll(/https?:\/\/[^\s]+/g)].map((m) => safeHost(m[0]));
    if (!hosts.some((h) => h && inDomain(h, domain))) {
      throw new DeliveryError(
        'rejected',
        `微博要求帖子中至少有一个应用安全域名（${domain}）下的链接，而稿件链接是 ${rendition.link}；请在渠道设置中填写与门户一致的安全域名`,
      );
    }
    if (/#[^#\s][^#]*#/.test(text)) {
      throw new DeliveryError('rejected', '微博 statuses/share 接口不允许正文包含“#话题词#”，请去掉话题标签后再发布');
    }
    // Over the documented 140: let the summary give way, never the link or the labels around it.
    const summary = rendition.summary;
    if (weiboLength(text) > SHARE_MAX && summary && text.includes(summary)) {
      const full = text;
      let max = textLength(summary);
      while (max > 0 && weiboLength(text) > SHARE_MAX) {
        max -= Math.max(1, weiboLength(text) - SHARE_MAX);
        const cut = max > 0 ? shorten(summary, max).text : '';
        text = full.replace(summary, () => cut);
      }
    }
    if (weiboLength(text) > SHARE_MAX) {
      throw new DeliveryError('rejected', `微博 statuses/share 接口限 ${SHARE_MAX} 字（链接按短链计），该帖约 ${weiboLength(text)} 字，请缩短后再发布`);
    }
    return text;
  }

  async function findOwn(req: DeliveryRequest, text: string): Promise<DeliveryResult | null> {
    const wanted = withoutLinks(text);
    for (let page = 1; page <= 2; page++) {
      const timeline = await call<WeiboError & { statuses?: WeiboStatus[] }>(req, '/2/statuses/user_timeline.json', 'read', {
        method: 'GET',
        query: { count: 100, page, trim_user: 1 },
      });
      const hit = (timeline.statuses ?? []).find((s) => s.text !== undefined && withoutLinks(s.text) === wanted);
      if (hit) return result(hit);
      if ((timeline.statuses ?? []).length < 100) break;
    }
    return null;
  }

  async function publish(req: DeliveryRequest): Promise<DeliveryResult> {
    const status = postText(req);
    const fields: Record<string, string> = { status };
    if (typeof req.channel.config.reportIp === 'string' && req.channel.config.reportIp) fields.rip = req.channel.config.reportIp;
    let pic: { bytes: Buffer; mime: string; filename: string } | undefined;
    if (req.rendition.cover) {
      pic = await pictureFor(await req.media.load(req.rendition.cover.assetId, req.rendition.cover.crop), {
        accept: ['image/jpeg', 'image/gif', 'image/png'],
        maxBytes: 5 * 1024 * 1024,
        label: '微博配图',
      });
    }
    try {
      return result(await call<WeiboStatus>(req, '/2/statuses/share.json', 'publish', { method: 'POST', fields, pic }));
    } catch (err) {
      // 20019 "Repeat content": an earlier send whose answer was lost did land. Answer with that post.
      if (err instanceof DeliveryError && (err.detail.platformCode === 20019 || err.detail.platformCode === 20017)) {
        const earlier = await findOwn(req, status);
        if (earlier) return earlier;
      }
      throw err;
    }
  }

  return {
    kind: 'weibo',
    supports: { update: false, retract: true },
    settings: weiboSettings,
    checkConfig: (config) => urlSettingProblem(http, config, ['apiBase']),
    async deliver(req) {
      if (req.action === 'update') throw new DeliveryError('rejected', '微博不支持修改已发布的帖子，更正将以门户更正说明留痕');
      if (req.action === 'retract') {
        const id = req.remote?.id;
        if (!id) throw new DeliveryError('rejected', '没有该稿件在本微博账号的发布记录，无法删除');
        try {
          await call(req, '/2/statuses/destroy.json', 'publish', { method: 'POST', fields: { id } });
        } catch (err) {
          // 20101 target weibo does not exist: already deleted.
          if (!(err instanceof DeliveryError && err.detail.platformCode === 20101)) throw err;
        }
        return { remoteId: id, remoteUrl: req.remote?.url ?? null };
      }
      return publish(req);
    },
    async reconcile(req) {
      // A deletion is safe to send again (an already deleted post answers 20101), so only publishing looks.
      if (req.action !== 'publish') return null;
      return findOwn(req, postText(req));
    },
  };
}

function result(status: WeiboStatus): DeliveryResult {
  const id = status.idstr ?? (status.id !== undefined ? String(status.id) : null);
  if (!id) throw new DeliveryError('unknown', '微博应答缺少帖子 id');
  return { remoteId: id, remoteUrl: `https://m.weibo.cn/status/${id}` };
}

function safeHost(raw: string): string | null {
  try {
    return new URL(raw).hostname.toLowerCase();
  } catch {
    return null;
  }
}
