import crypto from 'node:crypto';
import { OutboundError, type OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import { TokenCache } from '../../distribution/adapters/token-cache.ts';
import { type PushAdapter, PushError, type PushOutcome, chunk, needSecret } from './contract.ts';

/**
 * 个推 Getui REST API v2 (docs.getui.com/getui/server/rest_v2/):
 *  - 鉴权 POST /v2/{appId}/auth {sign, timestamp, appkey}, sign = sha256(appkey + timestamp + mastersecret)
 *    (hex), timestamp in ms; answers {code: 0, data: {token, expire_time}} — the token goes in the `token`
 *    header and lasts a day (docs.getui.com/getui/server/rest_v2/token/). Cached per app.
 *  - 批量单推 POST /v2/{appId}/push/single/batch/cid {is_async, msg_list: [{request_id, audience: {cid: [one]},
 *    push_message: {notification: {title, body, click_type: "url", url}}}]} ≤ 200 per call
 *    (docs.getui.com/getui/server/rest_v2/push/), answers {code: 0, data: {taskid: {cid: status}}}.
 *  - Every answer carries `code`; 0 is success, 10001 means the token is invalid or expired → authenticate
 *    again and retry once. HTTP 429 is taken as the rate limit (the docs give a per-app daily/QPS quota).
 */
const API = 'https://restapi.getui.com';
const MAX_BATCH = 200;
const TOKEN_EXPIRED = 10001;

interface GetuiAnswer<T = unknown> {
  code?: number;
  msg?: string;
  data?: T;
}

export function createGetuiAdapter(deps: { http: OutboundHttpClient; timeoutMs?: number; tokens?: TokenCache; now?: () => number }): PushAdapter {
  const tokens = deps.tokens ?? new TokenCache(10 * 60_000);
  const now = deps.now ?? Date.now;

  const call = async <T>(url: string, body: unknown, token?: string) => {
    let res;
    try {
      res = await deps.http.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8', ...(token ? { token } : {}) },
        body: JSON.stringify(body),
        timeoutMs: deps.timeoutMs ?? 10_000,
        maxRedirects: 0,
      });
    } catch (err) {
      throw new PushError('retry', `个推未应答 / Getui did not answer: ${err instanceof OutboundError ? err.zh : (err as Error).message}`);
    }
    if (res.status === 429) {
      throw new PushError('rate_limited', '个推：请求频率超限 / Getui rate limit', { retryAfterMs: Number(res.headers['retry-after'] ?? 60) * 1000 });
    }
    let answer: GetuiAnswer<T>;
    try {
      answer = JSON.parse(res.text()) as GetuiAnswer<T>;
    } catch {
      throw new PushError(res.status >= 500 ? 'retry' : 'rejected', `个推应答不是 JSON (HTTP ${res.status})`);
    }
    return answer;
  };

  return {
    kind: 'getui',
    async send(app, message, targets) {
      if (!app) throw new PushError('auth', '个推需要一个应用 / Getui needs an app');
      const appId = needSecret(app.secrets, 'appId', 'Getui');
      const appKey = needSecret(app.secrets, 'appKey', 'Getui');
      const masterSecret = needSecret(app.secrets, 'masterSecret', 'Getui');
      const base = `${(app.config.apiBase || API).replace(/\/+$/, '')}/v2/${encodeURIComponent(appId)}`;
      const authenticate = async () => {
        const timestamp = String(now());
        const sign = crypto.createHash('sha256').update(appKey + timestamp + masterSecret).digest('hex');
        const a = await call<{ token: string; expire_time: string }>(`${base}/auth`, { sign, timestamp, appkey: appKey });
        if (a.code !== 0 || !a.data?.token) throw new PushError('auth', `个推鉴权失败 ${a.code}: ${a.msg ?? ''}（请检查 appKey 与 masterSecret）`, { platformCode: a.code });
        return { token: a.data.token, expiresInSec: Math.max(60, (Number(a.data.expire_time) - now()) / 1000) };
      };
      const outcomes: PushOutcome[] = [];
      for (const batch of chunk(targets, MAX_BATCH)) {
        const body = {
          is_async: false,
          msg_list: batch.map((t, i) => ({
            request_id: `${message.campaignId.replace(/-/g, '').slice(0, 16)}${String(i).padStart(4, '0')}${crypto.randomBytes(3).toString('hex')}`,
            settings: { ttl: 86_400_000 },
            audience: { cid: [t.address] },
            push_message: { notification: { title: message.title, body: message.body, click_type: 'url', url: t.url ?? message.url } },
          })),
        };
        let token = (await tokens.get(appId, authenticate)).token;
        let answer = await call<Record<string, Record<string, string>>>(`${base}/push/single/batch/cid`, body, token);
        if (answer.code === TOKEN_EXPIRED) {
          tokens.invalidate(appId, token);
          token = (await tokens.refresh(appId, authenticate)).token;
          answer = await call(`${base}/push/single/batch/cid`, body, token);
        }
        if (answer.code === TOKEN_EXPIRED) throw new PushError('auth', `个推 token 失效 ${answer.msg ?? ''}`, { platformCode: answer.code });
        if (answer.code !== 0) throw new PushError('rejected', `个推 ${answer.code}: ${answer.msg ?? ''}`, { platformCode: answer.code });
        // data: {taskid: {cid: status}}: find each target's status by cid.
        const status = new Map<string, { task: string; status: string }>();
        for (const [task, perCid] of Object.entries(answer.data ?? {})) for (const [cid, s] of Object.entries(perCid)) status.set(cid, { task, status: s });
        for (const t of batch) {
          const s = status.get(t.address);
          outcomes.push(s ? { registrationId: t.registrationId, ok: true, remoteId: s.task } : { registrationId: t.registrationId, ok: false, error: '个推未返回该 cid 的任务' });
        }
      }
      return outcomes;
    },
  };
}
