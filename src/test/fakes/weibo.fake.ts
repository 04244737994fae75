import { weiboLength } from '../../modules/distribution/adapters/weibo.ts';
import { type FakeReply, type FakeRequest, PlatformFake } from './fake-http.ts';

/**
 * A local stand-in for api.weibo.com (open.weibo.com/wiki/2/…), OAuth2 access tokens:
 *
 *  - POST /2/statuses/share.json (open.weibo.com/wiki/2/statuses/share): access_token, status (URL-encoded,
 *    ≤ 140 汉字, no #话题#, must contain a URL under the app's 安全域名), rip; multipart/form-data with
 *    `pic` (JPEG/GIF/PNG < 5 MB) when there is a picture. Answers the new status.
 *  - GET /2/statuses/user_timeline.json: the user's latest statuses, newest first. As on Weibo, links in
 *    `text` come back shortened to t.cn, so a reader cannot find a post by its long link.
 *  - POST /2/statuses/destroy.json (id): deletes one of the user's statuses.
 *
 * Errors are `{request, error_code, error}` with a 4xx status (open.weibo.com/wiki/Error_code):
 * 21327 expired_token, 21332 invalid_access_token, 10023 user requests out of rate limit,
 * 20019 repeat content, 20021 illegal content, 20101 target weibo does not exist. The wiki names no
 * code for a link outside the 安全域名; the fake answers 10017 (parameter value invalid) for it.
 */

interface Status {
  id: number;
  idstr: string;
  mid: string;
  text: string;
  created_at: string;
  original_pic?: string;
  user: { id: number; idstr: string };
}

export class WeiboFake extends PlatformFake {
  readonly accessToken = '2.00fakeWeiboToken0123456789';
  readonly uid = 7_654_321_098;
  secureDomain = 'news.example.cn';
  /** Newest first. */
  readonly statuses: Status[] = [];
  readonly pictures: Buffer[] = [];
  private expired = false;
  private nextId = 4_900_000_000_000_000;
  private readonly scripted = new Map<string, { code: number; error: string; status: number }[]>();
  /** Words the content review refuses (20021). */
  refusedWords: string[] = [];

  expireToken() {
    this.expired = true;
  }

  renewToken() {
    this.expired = false;
  }

  failNext(path: string, code: number, error: string, status = 400, times = 1) {
    const list = this.scripted.get(path) ?? [];
    for (let i = 0; i < times; i++) list.push({ code, error, status });
    this.scripted.set(path, list);
  }

  protected route(req: FakeRequest): FakeReply {
    const path = req.path;
    const scripted = this.scripted.get(path)?.shift();
    if (scripted) return fail(path, scripted.code, scripted.error, scripted.status);
    const multipartBody = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
    const files = multipartBody ? req.files() : [];
    const param = (name: string) =>
      req.query.get(name) ??
      (multipartBody ? files.find((f) => f.name === name && f.filename === null)?.data.toString('utf8') : req.method === 'POST' ? req.form().get(name) : null) ??
      null;
    const token = param('access_token') ?? /^OAuth2 (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    if (!token || token !== this.accessToken) return fail(path, 21332, 'invalid_access_token', 401);
    if (this.expired) return fail(path, 21327, 'expired_token', 401);

    switch (path) {
      case '/2/statuses/share.json':
        if (req.method !== 'POST') return fail(path, 10021, 'HTTP method is not suported for this request', 405);
        return this.share(param('status'), files.find((f) => f.name === 'pic'));
      case '/2/statuses/user_timeline.json': {
        const count = Math.min(Number(req.query.get('count') ?? 20), 100);
        const page = Math.max(Number(req.query.get('page') ?? 1), 1);
        const slice = this.statuses.slice((page - 1) * count, page * count).map((s) => ({ ...s, text: shorten(s.text) }));
        return { body: { statuses: slice, total_number: this.statuses.length } };
      }
      case '/2/statuses/destroy.json': {
        const at = this.statuses.findIndex((s) => s.idstr === param('id'));
        if (at === -1) return fail(path, 20101, 'Target weibo does not exist!');
        return { body: this.statuses.splice(at, 1)[0] };
      }
      default:
        return fail(path, 10020, 'Request api not found!', 404);
    }
  }

  private share(status: string | null, pic: { data: Buffer; mime: string | null } | undefined): FakeReply {
    const path = '/2/statuses/share.json';
    if (!status) return fail(path, 10016, 'Miss required parameter (status), see doc for more info.');
    if (weiboLength(status) > 140) return fail(path, 20012, 'Text too long, please input text less than 140 characters!');
    if (/#[^#\s][^#]*#/.test(status)) return fail(path, 10017, "Parameter (status)'s value invalid, expect (no #topic#), see doc for more info.");
    const links = [...status.matchAll(/https?:\/\/[^\s]+/g)].map((m) => new URL(m[0]).hostname);
    if (!links.some((h) => h === this.secureDomain || h.endsWith(`.${this.secureDomain}`))) {
      return fail(path, 10017, `Parameter (status)'s value invalid, expect (a url of the secure domain ${this.secureDomain}), see doc for more info.`);
    }
    if (this.refusedWords.some((w) => status.includes(w))) return fail(path, 20021, 'Content is illegal!');
    if (this.statuses.some((s) => s.text === status)) return fail(path, 20019, 'Repeat content!');
    if (pic) {
      const ok = pic.data[0] === 0xff || pic.data.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) || pic.data.subarray(0, 3).toString() === 'GIF';
      if (!ok) return fail(path, 20007, 'Does multipart has image?');
      if (pic.data.length >= 5 * 1024 * 1024) return fail(path, 10018, 'Request body length over limit');
      this.pictures.push(pic.data);
    }
    const id = this.nextId++;
    const created: Status = {
      id,
      idstr: String(id),
      mid: String(id),
      text: status,
      created_at: new Date().toUTCString(),
      ...(pic ? { original_pic: `https://wx1.sinaimg.cn/large/fake${id}.jpg` } : {}),
      user: { id: this.uid, idstr: String(this.uid) },
    };
    this.statuses.unshift(created);
    return { body: created };
  }
}

/** Weibo shows every link as a t.cn short link. */
function shorten(text: string): string {
  let n = 0;
  return text.replace(/https?:\/\/[^\s]+/g, () => `http://t.cn/A6${(n++).toString(36).padStart(6, 'x')}`);
}

const fail = (request: string, code: number, error: string, status = 400): FakeReply => ({
  status,
  body: { request, error_code: code, error },
});
