import { OutboundError, type OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import { type PushAdapter, PushError, type PushOutcome, chunk, needSecret } from './contract.ts';

/**
 * 极光推送 JPush REST API v3 (docs.jiguang.cn/jpush/server/push/rest_api_v3_push):
 * POST https://api.jpush.cn/v3/push, HTTP Basic auth base64(appKey:masterSecret), JSON push object
 * {platform, audience: {registration_id: [≤ 1000]}, notification: {android, ios}, options: {apns_production}}.
 * Success is 200 {sendno, msg_id}; errors are {error: {code, message}} (docs.jiguang.cn/jpush/server/push/rest_api_v3_push#错误码):
 * 1004 auth failed (401), 1011 no target matches the audience, 1003 bad parameter, 2002 API rate limit
 * exceeded (429, with X-Rate-Limit-Limit / -Remaining / -Reset headers, Reset in seconds;
 * docs.jiguang.cn/jpush/server/push/server_overview#访问频率控制).
 */
const API = 'https://api.jpush.cn';
const MAX_AUDIENCE = 1000;

interface JPushError {
  error?: { code?: number; message?: string };
  msg_id?: string | number;
}

export function createJPushAdapter(deps: { http: OutboundHttpClient; timeoutMs?: number }): PushAdapter {
  return {
    kind: 'jpush',
    async send(app, message, targets) {
      if (!app) throw new PushError('auth', '极光推送需要一个应用 / JPush needs an app');
      const appKey = needSecret(app.secrets, 'appKey', 'JPush');
      const masterSecret = needSecret(app.secrets, 'masterSecret', 'JPush');
      const auth = `Basic ${Buffer.from(`${appKey}:${masterSecret}`).toString('base64')}`;
      const extras = { url: message.url, campaign: message.campaignId };
      const outcomes: PushOutcome[] = [];
      for (const batch of chunk(targets, MAX_AUDIENCE)) {
        const payload = {
          platform: 'all',
          audience: { registration_id: batch.map((t) => t.address) },
          notification: {
            alert: message.body,
            android: { alert: message.body, title: message.title, extras, intent: { url: message.url } },
            ios: { alert: { title: message.title, body: message.body }, sound: 'default', extras },
          },
          // apns_production: true unless the app is set up against the APNs sandbox.
          options: { apns_production: app.config.apnsProduction !== 'false', time_to_live: 86_400 },
        };
        let res;
        try {
          res = await deps.http.request(`${(app.config.apiBase || API).replace(/\/+$/, '')}/v3/push`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify(payload),
            timeoutMs: deps.timeoutMs ?? 10_000,
            maxRedirects: 0,
          });
        } catch (err) {
          throw new PushError('retry', `极光推送未应答 / JPush did not answer: ${err instanceof OutboundError ? err.zh : (err as Error).message}`);
        }
        let body: JPushError = {};
        try {
          body = JSON.parse(res.text()) as JPushError;
        } catch {
          /* a gateway page: judged by status below */
        }
        const code = body.error?.code;
        if (res.status === 200 && !code) {
          for (const t of batch) outcomes.push({ registrationId: t.registrationId, ok: true, remoteId: String(body.msg_id ?? '') });
          continue;
        }
        const text = `极光推送 ${code ?? res.status}: ${body.error?.message ?? res.text().slice(0, 120)}`;
        if (code === 1004 || res.status === 401) throw new PushError('auth', `${text}（请检查 appKey 与 masterSecret）`, { platformCode: code });
        if (code === 2002 || res.status === 429) {
          const reset = Number(res.headers['x-rate-limit-reset'] ?? 60);
          throw new PushError('rate_limited', `${text}（频率超限 / rate limited）`, { platformCode: code, retryAfterMs: Math.max(1, reset) * 1000 });
        }
        if (code === 1011) {
          // None of these registration ids is known to JPush (uninstalled, another app): per-target failure.
          for (const t of batch) outcomes.push({ registrationId: t.registrationId, ok: false, error: text });
          continue;
        }
        if (res.status >= 500) throw new PushError('retry', text, { platformCode: code });
        throw new PushError('rejected', text, { platformCode: code });
      }
      return outcomes;
    },
  };
}
