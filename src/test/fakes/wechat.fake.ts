import { randomUUID } from 'node:crypto';
import { type FakeReply, type FakeRequest, PlatformFake } from './fake-http.ts';

/**
 * A local stand-in for api.weixin.qq.com that speaks the Official Account publishing protocol as
 * documented (errors are HTTP 200 with {errcode, errmsg}; everything else needs ?access_token=):
 *
 *  - POST /cgi-bin/stable_token, GET /cgi-bin/token — access token, 7200 s
 *    (developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken)
 *  - POST /cgi-bin/media/uploadimg — body image, multipart `media`, jpg/png under 1 MB → {url}
 *    (doc/service/api/material/permanent/api_uploadimage)
 *  - POST /cgi-bin/material/add_material?type=image — permanent image, multipart `media` → {media_id, url}
 *  - POST /cgi-bin/draft/add → {media_id}; POST /cgi-bin/draft/get (doc/subscription/en/api/draftbox/draftmanage/api_draft_add)
 *  - POST /cgi-bin/freepublish/submit {media_id} → {publish_id, msg_data_id}; the draft leaves the draft box
 *  - POST /cgi-bin/freepublish/get {publish_id} → publish_status 0…6, article_id, article_detail.item[].article_url
 *    (doc/service/api/public/api_freepublish_get)
 *  - POST /cgi-bin/freepublish/batchget {offset, count, no_content} (doc/service/api/public/api_freepublish_batchget)
 *  - POST /cgi-bin/freepublish/delete {article_id, index} (doc/service/api/public/api_freepublishdelete)
 *
 * Switches inject the documented failures: expired tokens (42001), the frequency cap (45009), system
 * busy (-1), content refused at draft/add (45166) or by the platform audit (publish_status 4), and
 * silent answers (see FakeHttpServer.hangNext).
 */

interface Article {
  title: string;
  author?: string;
  digest?: string;
  content: string;
  content_source_url?: string;
  thumb_media_id: string;
  need_open_comment?: number;
  only_fans_can_comment?: number;
}

interface PublishJob {
  publishId: string;
  article: Article;
  pollsLeft: number;
  outcome: number;
  articleId: string | null;
}

export class WechatFake extends PlatformFake {
  readonly appId = 'wx1234567890abcdef';
  readonly appSecret = 'fake-app-secret-0123456789abcdef';
  /** Tokens that work; a token leaves this set when it expires. */
  private readonly validTokens = new Set<string>();
  private stableToken: string | null = null;
  readonly images = new Map<string, Buffer>();
  readonly materials = new Map<string, Buffer>();
  readonly drafts = new Map<string, Article[]>();
  readonly jobs = new Map<string, PublishJob>();
  /** Published articles, newest first, as freepublish/batchget lists them. */
  readonly published: { articleId: string; article: Article; url: string; updateTime: number }[] = [];
  tokenFetches = 0;

  // ── switches ──
  /** Status polls that answer 1 (发布中) before the final outcome. */
  pollsBeforeDone = 1;
  /** The final publish_status of the next submit (0 success, 2 original check failed, 4 audit refused, 6 banned …). */
  nextOutcome = 0;
  /** Words that draft/add refuses with 45166 invalid content. */
  refusedWords: string[] = [];
  private readonly scripted = new Map<string, { errcode: number; errmsg: string }[]>();

  /** Every token handed out so far stops working: the next call with one gets 42001. */
  expireTokens() {
    this.validTokens.clear();
    this.stableToken = null;
  }

  /** The next `times` calls to `path` answer this error instead (45009, -1 …). */
  failNext(path: string, errcode: number, errmsg: string, times = 1) {
    const list = this.scripted.get(path) ?? [];
    for (let i = 0; i < times; i++) list.push({ errcode, errmsg });
    this.scripted.set(path, list);
  }

  private issueToken(): string {
    const token = `ACCESS_TOKEN_${randomUUID().replace(/-/g, '')}`;
    this.validTokens.add(token);
    this.tokenFetches++;
    return token;
  }

  private credentials(appid: unknown, secret: unknown): FakeReply | null {
    if (appid !== this.appId) return err(40013, 'invalid appid');
    if (secret !== this.appSecret) return err(40125, 'invalid appsecret');
    return null;
  }

  protected async route(req: FakeRequest): Promise<FakeReply> {
    const scripted = this.scripted.get(req.path)?.shift();
    if (scripted) return { body: scripted };
    if (req.path === '/cgi-bin/stable_token') {
      if (req.method !== 'POST') return err(43002, 'require POST method');
      const b = req.json<{ grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean }>();
      if (b.grant_type !== 'client_credential') return err(40002, 'invalid grant_type');
      const bad = this.credentials(b.appid, b.secret);
      if (bad) return bad;
      // Normal mode returns the same token while it is valid (the doc's 普通模式).
      if (b.force_refresh || !this.stableToken || !this.validTokens.has(this.stableToken)) this.stableToken = this.issueToken();
      return { body: { access_token: this.stableToken, expires_in: 7200 } };
    }
    if (req.path === '/cgi-bin/token') {
      if (req.query.get('grant_type') !== 'client_credential') return err(40002, 'invalid grant_type');
      const bad = this.credentials(req.query.get('appid'), req.query.get('secret'));
      if (bad) return bad;
      return { body: { access_token: this.issueToken(), expires_in: 7200 } };
    }
    const token = req.query.get('access_token');
    if (!token) return err(41001, 'access_token missing');
    if (!this.validTokens.has(token)) {
      return token.startsWith('ACCESS_TOKEN_') ? err(42001, 'access_token expired') : err(40001, 'invalid credential, access_token is invalid or not latest');
    }
    switch (req.path) {
      case '/cgi-bin/media/uploadimg':
        return this.uploadImage(req, (id) => ({ url: `http://mmbiz.qpic.cn/mmbiz_jpg/${id}/0` }), this.images, 1024 * 1024);
      case '/cgi-bin/material/add_material':
        if (req.query.get('type') !== 'image') return err(40004, 'invalid media type');
        return this.uploadImage(req, (id) => ({ media_id: `MEDIA_${id}`, url: `http://mmbiz.qpic.cn/mmbiz_jpg/${id}/0?wx_fmt=jpeg` }), this.materials, 10 * 1024 * 1024);
      case '/cgi-bin/draft/add':
        return this.addDraft(req.json<{ articles?: Article[] }>().articles);
      case '/cgi-bin/draft/get': {
        const draft = this.drafts.get(String(req.json<{ media_id?: string }>().media_id));
        return draft ? { body: { news_item: draft } } : err(40007, 'invalid media_id');
      }
      case '/cgi-bin/freepublish/submit':
        return this.submit(String(req.json<{ media_id?: string }>().media_id));
      case '/cgi-bin/freepublish/get':
        return this.status(String(req.json<{ publish_id?: string }>().publish_id));
      case '/cgi-bin/freepublish/batchget':
        return this.batchget(req.json<{ offset?: number; count?: number; no_content?: number }>());
      case '/cgi-bin/freepublish/delete': {
        const { article_id } = req.json<{ article_id?: string }>();
        const at = this.published.findIndex((p) => p.articleId === article_id);
        if (at === -1) return err(40007, 'invalid article_id');
        this.published.splice(at, 1);
        return ok();
      }
      default:
        return { status: 404, body: { errcode: 404, errmsg: 'not found' } };
    }
  }

  private uploadImage(req: FakeRequest, answer: (id: string) => Record<string, string>, store: Map<string, Buffer>, limit: number): FakeReply {
    const media = req.files().find((f) => f.name === 'media');
    if (!media || !media.filename) return err(41005, 'media data missing');
    const png = media.data.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const jpg = media.data[0] === 0xff && media.data[1] === 0xd8;
    if (!png && !jpg) return err(40005, 'invalid file type');
    if (media.data.length > limit) return err(40009, 'invalid image size');
    const id = randomUUID().replace(/-/g, '');
    store.set(id, media.data);
    return { body: answer(id) };
  }

  private addDraft(articles: Article[] | undefined): FakeReply {
    if (!articles?.length) return err(44003, 'empty news data');
    for (const a of articles) {
      if (!a.title || !a.content) return err(44003, 'empty news data');
      if (!a.thumb_media_id || !this.materials.has(a.thumb_media_id.replace(/^MEDIA_/, ''))) return err(40007, 'invalid media_id');
      if (this.refusedWords.some((w) => a.content.includes(w) || a.title.includes(w))) return err(45166, 'invalid content');
      // WeChat drops pictures from other hosts; an image here must come from media/uploadimg.
      for (const m of a.content.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)) {
        if (!m[1]!.startsWith('http://mmbiz.qpic.cn/')) return err(45166, `invalid content: external image ${m[1]}`);
      }
    }
    const mediaId = `DRAFT_${randomUUID().replace(/-/g, '')}`;
    this.drafts.set(mediaId, articles);
    return { body: { media_id: mediaId } };
  }

  private submit(mediaId: string): FakeReply {
    const draft = this.drafts.get(mediaId);
    if (!draft) return err(40007, 'invalid media_id');
    this.drafts.delete(mediaId); // 发表后草稿离开草稿箱
    const publishId = String(2_247_483_000 + this.jobs.size);
    this.jobs.set(publishId, { publishId, article: draft[0]!, pollsLeft: this.pollsBeforeDone, outcome: this.nextOutcome, articleId: null });
    this.nextOutcome = 0;
    this.settle(publishId);
    return { body: { errcode: 0, errmsg: 'ok', publish_id: publishId, msg_data_id: publishId } };
  }

  /** The platform finishes a job on its own: once the polls are used up it is live (or refused). */
  private settle(publishId: string) {
    const job = this.jobs.get(publishId)!;
    if (job.pollsLeft > 0 || job.articleId || job.outcome !== 0) return;
    job.articleId = `ARTICLE_${randomUUID().replace(/-/g, '')}`;
    this.published.unshift({
      articleId: job.articleId,
      article: job.article,
      url: `https://mp.weixin.qq.com/s/${job.articleId.slice(8, 30)}`,
      updateTime: Math.floor(Date.now() / 1000),
    });
  }

  /** Lets every job under way finish, as time would. */
  finishAll() {
    for (const job of this.jobs.values()) {
      job.pollsLeft = 0;
      this.settle(job.publishId);
    }
  }

  private status(publishId: string): FakeReply {
    const job = this.jobs.get(publishId);
    if (!job) return err(40007, 'invalid publish_id');
    if (job.pollsLeft > 0) {
      job.pollsLeft--;
      if (job.pollsLeft === 0) this.settle(publishId);
      return { body: { publish_id: publishId, publish_status: 1, fail_idx: [] } };
    }
    if (job.outcome !== 0) return { body: { publish_id: publishId, publish_status: job.outcome, fail_idx: [1] } };
    const live = this.published.find((p) => p.articleId === job.articleId);
    if (!live) return { body: { publish_id: publishId, publish_status: 5, fail_idx: [] } };
    return {
      body: {
        publish_id: publishId,
        publish_status: 0,
        article_id: job.articleId,
        article_detail: { count: 1, item: [{ idx: 1, article_url: live.url }] },
        fail_idx: [],
      },
    };
  }

  private batchget(b: { offset?: number; count?: number; no_content?: number }): FakeReply {
    if (typeof b.offset !== 'number' || typeof b.count !== 'number' || b.count < 1 || b.count > 20) return err(40097, 'invalid args');
    const page = this.published.slice(b.offset, b.offset + b.count);
    return {
      body: {
        total_count: this.published.length,
        item_count: page.length,
        item: page.map((p) => ({
          article_id: p.articleId,
          content: {
            news_item: [{ ...p.article, content: b.no_content ? '' : p.article.content, url: p.url, is_deleted: false }],
          },
          update_time: p.updateTime,
        })),
      },
    };
  }
}

const ok = (): FakeReply => ({ body: { errcode: 0, errmsg: 'ok' } });
const err = (errcode: number, errmsg: string): FakeReply => ({ body: { errcode, errmsg } });
