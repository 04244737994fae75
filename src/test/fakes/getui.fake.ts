import crypto from 'node:crypto';
import { type FakeReply, type FakeRequest, PlatformFake } from './fake-http.ts';

/**
 * A local stand-in for restapi.getui.com, REST API v2 (docs.getui.com/getui/server/rest_v2/):
 *  - POST /v2/{appId}/auth {sign, timestamp, appkey}: sign must be sha256(appkey + timestamp + mastersecret)
 *    and the timestamp within 10 minutes; answers {code: 0, msg, data: {expire_time, token}}.
 *  - POST /v2/{appId}/push/single/batch/cid with header `token`: {is_async, msg_list: [{request_id,
 *    audience: {cid: [..]}, push_message: {notification: {title, body, click_type, url}}}]}; answers
 *    {code: 0, data: {<taskid>: {<cid>: "successed_online" | "successed_offline"}}}.
 * Errors are HTTP 200 with a non-zero code: 10001 token invalid/expired, 20001 bad parameter;
 * `rateLimitNext` answers HTTP 429.
 */
export class GetuiFake extends PlatformFake {
  readonly appId = 'tfGetuiApp01';
  readonly appKey = 'gtAppKey0123456789';
  readonly masterSecret = 'gtMasterSecret9876543210';
  readonly online = new Set<string>();
  readonly received = new Map<string, { title: string; body: string; url: string }[]>();
  authCalls = 0;
  private readonly tokens = new Set<string>();
  private rateLimited = 0;
  private nextTask = 1;

  /** Every token issued so far stops working (as when Getui's day-long token lapses). */
  expireTokens() {
    this.tokens.clear();
  }

  rateLimitNext(times = 1) {
    this.rateLimited = times;
  }

  protected route(req: FakeRequest): FakeReply {
    const m = /^\/v2\/([^/]+)\/(auth|push\/single\/batch\/cid)$/.exec(req.path);
    if (!m || req.method !== 'POST') return { status: 404, body: { code: 404, msg: 'not found' } };
    if (m[1] !== this.appId) return ok(10003, 'appId not exist');
    if (m[2] === 'auth') return this.auth(req.json());
    if (this.rateLimited > 0) {
      this.rateLimited--;
      return { status: 429, body: { code: 20004, msg: 'flow control' }, headers: { 'retry-after': '3' } };
    }
    const token = req.headers.token;
    if (typeof token !== 'string' || !this.tokens.has(token)) return ok(10001, 'token invalid or expired');
    const body = req.json<{ msg_list?: { request_id?: string; audience?: { cid?: string[] }; push_message?: { notification?: { title?: string; body?: string; url?: string } } }[] }>();
    if (!Array.isArray(body.msg_list) || !body.msg_list.length || body.msg_list.length > 200) return ok(20001, 'msg_list invalid');
    const data: Record<string, Record<string, string>> = {};
    for (const msg of body.msg_list) {
      const cid = msg.audience?.cid?.[0];
      const n = msg.push_message?.notification;
      if (!cid || !msg.request_id || !n?.title || !n.body) return ok(20001, 'param invalid');
      const task = `RASS_${String(this.nextTask++).padStart(6, '0')}`;
      data[task] = { [cid]: this.online.has(cid) ? 'successed_online' : 'successed_offline' };
      const list = this.received.get(cid) ?? [];
      list.push({ title: n.title, body: n.body, url: n.url ?? '' });
      this.received.set(cid, list);
    }
    return ok(0, 'success', data);
  }

  private auth(body: { sign?: string; timestamp?: string; appkey?: string }): FakeReply {
    this.authCalls++;
    if (body.appkey !== this.appKey || !body.timestamp || Math.abs(Date.now() - Number(body.timestamp)) > 600_000) return ok(10002, 'appkey or timestamp invalid');
    const sign = crypto.createHash('sha256').update(this.appKey + body.timestamp + this.masterSecret).digest('hex');
    if (body.sign !== sign) return ok(10002, 'sign invalid');
    const token = crypto.randomBytes(16).toString('hex');
    this.tokens.add(token);
    return ok(0, 'success', { expire_time: String(Date.now() + 86_400_000), token });
  }
}

const ok = (code: number, msg: string, data?: unknown): FakeReply => ({ body: { code, msg, ...(data === undefined ? {} : { data }) } });
