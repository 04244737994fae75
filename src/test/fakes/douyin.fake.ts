import { randomUUID } from 'node:crypto';
import { type FakeReply, type FakeRequest, PlatformFake } from './fake-http.ts';

/**
 * A local stand-in for open.douyin.com, user-authorised (OAuth) video posting as documented:
 *
 *  - POST /oauth/refresh_token/ (form: client_key, grant_type=refresh_token, refresh_token) → a new
 *    access_token; 10010 when the refresh_token (30 days) has expired
 *    (developer.open-douyin.com/docs/resource/zh-CN/dop/develop/openapi/account-permission/refresh-access-token)
 *  - POST /video/part/init/?open_id → upload_id; POST /video/part/upload/?open_id&upload_id&part_number
 *    (multipart `video`, parts from 1, each but the last at least 5 MB); POST /video/part/complete/ → video.video_id
 *  - POST /video/create/?open_id {video_id, text} → item_id; POST /video/delete/?open_id {item_id}
 *  - GET /video/list/?open_id&cursor&count → list[{item_id, title, create_time, share_url, video_status}], cursor, has_more
 *    (open.douyin.com/platform/resource/docs/openapi/video-management/douyin/…; header access-token)
 *
 * Answers are {data: {error_code, description, …}, extra: {error_code, description, sub_error_code, logid, now}}.
 * Codes from the 状态码 page (developer.open-douyin.com/docs/resource/zh-cn/dop/develop/openapi/status-code):
 * 2190008 access_token expired, 2190002 access_token invalid, 2100004 system busy, 2100005 parameter
 * invalid, 28003018 request rate too high. The docs name no code for content refused at create; the
 * fake refuses it with 2100005.
 */

interface Upload {
  parts: Map<number, Buffer>;
}

interface Video {
  itemId: string;
  title: string;
  videoId: string;
  createTime: number;
}

export class DouyinFake extends PlatformFake {
  readonly clientKey = 'awfakeclientkey01';
  readonly openId = 'ba253642-0590-40bc-9bdf-9a1334b94059';
  refreshToken = 'rft.fake-refresh-token-0001';
  private readonly validTokens = new Set<string>(['act.initial-access-token']);
  readonly initialToken = 'act.initial-access-token';
  private refreshExpired = false;
  minPartBytes = 5 * 1024 * 1024;
  private readonly uploads = new Map<string, Upload>();
  readonly videos = new Map<string, Buffer>();
  /** Newest first. */
  readonly items: Video[] = [];
  refreshes = 0;
  refusedWords: string[] = [];
  private readonly scripted = new Map<string, { code: number; description: string }[]>();

  /** Every access token so far stops working (2190008 on the next call). */
  expireAccessTokens() {
    this.validTokens.clear();
  }

  expireRefreshToken() {
    this.refreshExpired = true;
  }

  /** A new authorisation: this access token works again and so does the (new) refresh token. */
  restoreToken(token: string) {
    this.validTokens.add(token);
    this.refreshExpired = false;
  }

  failNext(path: string, code: number, description: string, times = 1) {
    const list = this.scripted.get(path) ?? [];
    for (let i = 0; i < times; i++) list.push({ code, description });
    this.scripted.set(path, list);
  }

  protected route(req: FakeRequest): FakeReply {
    const scripted = this.scripted.get(req.path)?.shift();
    if (scripted) return fail(scripted.code, scripted.description);
    if (req.path === '/oauth/refresh_token/') return this.refresh(req.form());

    const token = req.headers['access-token'];
    if (typeof token !== 'string' || !token) return fail(2190002, 'access_token无效');
    if (!this.validTokens.has(token)) return fail(2190008, 'access_token过期,请刷新或重新授权');
    if (req.query.get('open_id') !== this.openId) return fail(2190015, '请求参数access_token openid不匹配');

    switch (req.path) {
      case '/video/part/init/': {
        const uploadId = `@${randomUUID()}`;
        this.uploads.set(uploadId, { parts: new Map() });
        return ok({ upload_id: uploadId });
      }
      case '/video/part/upload/': {
        const upload = this.uploads.get(req.query.get('upload_id') ?? '');
        const part = Number(req.query.get('part_number'));
        const video = req.files().find((f) => f.name === 'video');
        if (!upload || !Number.isInteger(part) || part < 1 || !video) return fail(2100005, '参数不合法');
        upload.parts.set(part, video.data);
        return ok({});
      }
      case '/video/part/complete/': {
        const uploadId = req.query.get('upload_id') ?? '';
        const upload = this.uploads.get(uploadId);
        if (!upload || !upload.parts.size) return fail(2100005, '参数不合法');
        const numbers = [...upload.parts.keys()].sort((a, b) => a - b);
        if (numbers.some((n, i) => n !== i + 1)) return fail(2100005, '分片不连续');
        if (numbers.slice(0, -1).some((n) => upload.parts.get(n)!.length < this.minPartBytes)) return fail(2100005, '分片过小');
        const bytes = Buffer.concat(numbers.map((n) => upload.parts.get(n)!));
        if (bytes.subarray(4, 8).toString('latin1') !== 'ftyp') return fail(2100005, '视频格式不支持');
        this.uploads.delete(uploadId);
        const videoId = `v0200f${randomUUID().replace(/-/g, '').slice(0, 26)}`;
        this.videos.set(videoId, bytes);
        return ok({ video: { video_id: videoId, width: 720, height: 1280 } });
      }
      case '/video/create/': {
        const b = req.json<{ video_id?: string; text?: string }>();
        if (!b.video_id || !this.videos.has(b.video_id)) return fail(2100005, '参数不合法: video_id');
        const text = b.text ?? '';
        if (Array.from(text).length > 300 || this.refusedWords.some((w) => text.includes(w))) return fail(2100005, '参数不合法: text');
        const itemId = `@9VwKzuuES8gmaXS6ZohnTM${randomUUID().replace(/-/g, '').slice(0, 18)}`;
        this.items.unshift({ itemId, title: text, videoId: b.video_id, createTime: Math.floor(Date.now() / 1000) });
        return ok({ item_id: itemId });
      }
      case '/video/delete/': {
        const at = this.items.findIndex((i) => i.itemId === req.json<{ item_id?: string }>().item_id);
        if (at === -1) return fail(2100005, '参数不合法: item_id');
        this.items.splice(at, 1);
        return ok({});
      }
      case '/video/list/': {
        const cursor = Number(req.query.get('cursor') ?? 0);
        const count = Math.min(Number(req.query.get('count') ?? 10), 20);
        const page = this.items.slice(cursor, cursor + count);
        return ok({
          list: page.map((i) => ({
            item_id: i.itemId,
            title: i.title,
            create_time: i.createTime,
            share_url: `https://www.iesdouyin.com/share/video/${i.itemId.slice(1, 20)}/`,
            is_reviewed: true,
            video_status: 1,
          })),
          cursor: cursor + page.length,
          has_more: cursor + page.length < this.items.length,
        });
      }
      default:
        return { status: 404, body: { data: { error_code: 404, description: 'not found' } } };
    }
  }

  private refresh(form: URLSearchParams): FakeReply {
    if (form.get('client_key') !== this.clientKey || form.get('grant_type') !== 'refresh_token' || !form.get('refresh_token')) {
      return { body: { data: { error_code: 10005, description: '缺少参数' }, message: 'error' } };
    }
    if (this.refreshExpired || form.get('refresh_token') !== this.refreshToken) {
      return { body: { data: { error_code: 10010, description: 'refresh_token过期' }, message: 'error' } };
    }
    const token = `act.${randomUUID().replace(/-/g, '')}`;
    this.validTokens.add(token);
    this.refreshes++;
    return {
      body: {
        data: {
          access_token: token,
          description: '',
          error_code: 0,
          expires_in: 1_296_000,
          open_id: this.openId,
          refresh_expires_in: 2_592_000,
          refresh_token: this.refreshToken,
          scope: 'video.create,video.list.bind,video.delete',
        },
        message: 'success',
      },
    };
  }
}

const extra = (code: number, description: string) => ({
  error_code: code,
  description,
  sub_error_code: 0,
  sub_description: '',
  logid: `2026112711${randomUUID().replace(/-/g, '').slice(0, 20)}`,
  now: Date.now(),
});

const ok = (data: Record<string, unknown>): FakeReply => ({ body: { data: { error_code: 0, description: '', ...data }, extra: extra(0, '') } });
const fail = (code: number, description: string): FakeReply => ({ body: { data: { error_code: code, description }, extra: extra(code, description) } });
