import { type FakeReply, type FakeRequest, PlatformFake } from './fake-http.ts';

/**
 * A local stand-in for api.jpush.cn, Push API v3 (docs.jiguang.cn/jpush/server/push/rest_api_v3_push):
 * POST /v3/push with `Authorization: Basic base64(appKey:masterSecret)` and a JSON push object; answers
 * {sendno, msg_id}. Errors {error: {code, message}}: 1004 auth failed (401), 1003 bad parameter (400),
 * 1011 no target for the audience (400), 2002 rate limit (429 with X-Rate-Limit-Limit/-Remaining/-Reset).
 * Registration ids it knows are in `devices`; `received` keeps what each device got.
 */
export interface JPushNotification {
  msgId: string;
  title: string;
  alert: string;
  url: string;
  apnsProduction: boolean;
}

export class JPushFake extends PlatformFake {
  readonly appKey = 'a1b2c3d4e5f6a7b8c9d0e1f2';
  readonly masterSecret = '0f1e2d3c4b5a69788796a5b4';
  readonly devices = new Set<string>();
  readonly received = new Map<string, JPushNotification[]>();
  private rateLimited = 0;
  private nextMsg = 18_100_000_000;

  rateLimitNext(times = 1) {
    this.rateLimited = times;
  }

  protected route(req: FakeRequest): FakeReply {
    if (req.path !== '/v3/push' || req.method !== 'POST') return fail(404, 1002, 'not found');
    const expected = `Basic ${Buffer.from(`${this.appKey}:${this.masterSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return fail(401, 1004, 'Authen failed');
    if (this.rateLimited > 0) {
      this.rateLimited--;
      return { ...fail(429, 2002, 'Rate limit exceeded'), headers: { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '7' } };
    }
    const body = req.json<{
      platform?: unknown;
      audience?: { registration_id?: string[] };
      notification?: { android?: { alert?: string; title?: string; extras?: { url?: string } }; ios?: unknown };
      options?: { apns_production?: boolean };
    }>();
    const ids = body.audience?.registration_id;
    if (!body.platform || !Array.isArray(ids) || !ids.length || ids.length > 1000 || !body.notification?.android?.alert) return fail(400, 1003, 'Missing parameter');
    const known = ids.filter((id) => this.devices.has(id));
    if (!known.length) return fail(400, 1011, 'cannot find user by this audience');
    const msgId = String(this.nextMsg++);
    for (const id of known) {
      const list = this.received.get(id) ?? [];
      list.push({
        msgId,
        title: body.notification.android.title ?? '',
        alert: body.notification.android.alert,
        url: body.notification.android.extras?.url ?? '',
        apnsProduction: body.options?.apns_production ?? true,
      });
      this.received.set(id, list);
    }
    return { body: { sendno: '0', msg_id: msgId }, headers: { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '599', 'x-rate-limit-reset': '60' } };
  }
}

const fail = (status: number, code: number, message: string): FakeReply => ({ status, body: { error: { code, message } } });
