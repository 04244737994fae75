import webpush from 'web-push';
import { OutboundError, type OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import { type PushAdapter, PushError, type PushOutcome } from './contract.ts';

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and the aes128gcm payload encryption (RFC 8291), all done by
 * the `web-push` library's generateRequestDetails; the request itself goes through our SSRF-guarded
 * outbound client. 201/202 = the push service accepted it; 404/410 = the subscription is gone (removed);
 * 429 = the push service's rate limit; 401/403 = our VAPID key is refused.
 */
export interface VapidKeys {
  subject: string;
  publicKey: string;
  privateKey: string;
}

export function createWebPushAdapter(deps: { http: OutboundHttpClient; vapid: () => Promise<VapidKeys>; timeoutMs?: number }): PushAdapter {
  return {
    kind: 'webpush',
    async send(_app, message, targets) {
      const vapid = await deps.vapid();
      const outcomes: PushOutcome[] = [];
      for (const t of targets) {
        if (!t.keys) {
          outcomes.push({ registrationId: t.registrationId, ok: false, error: '订阅缺少密钥 / subscription without keys', gone: true });
          continue;
        }
        const payload = JSON.stringify({ title: message.title, body: message.body, url: t.url ?? message.url, campaign: message.campaignId });
        const req = webpush.generateRequestDetails({ endpoint: t.address, keys: t.keys }, payload, {
          vapidDetails: vapid,
          TTL: 86_400,
          contentEncoding: 'aes128gcm',
          urgency: message.urgent ? 'high' : 'normal',
        });
        try {
          const res = await deps.http.request(req.endpoint, {
            method: 'POST',
            headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
            body: req.body ?? undefined,
            timeoutMs: deps.timeoutMs ?? 10_000,
            maxRedirects: 0,
          });
          if (res.status === 201 || res.status === 202 || res.status === 200) outcomes.push({ registrationId: t.registrationId, ok: true, remoteId: res.headers.location });
          else if (res.status === 404 || res.status === 410) outcomes.push({ registrationId: t.registrationId, ok: false, gone: true, error: `订阅已失效 HTTP ${res.status}` });
          else if (res.status === 401 || res.status === 403) throw new PushError('auth', `推送服务拒绝 VAPID 签名 HTTP ${res.status}`, { platformCode: res.status });
          else outcomes.push({ registrationId: t.registrationId, ok: false, error: `推送服务返回 HTTP ${res.status}${res.status === 429 ? '（频率超限）' : ''}` });
        } catch (err) {
          if (err instanceof PushError) throw err;
          outcomes.push({ registrationId: t.registrationId, ok: false, error: err instanceof OutboundError ? err.zh : (err as Error).message });
        }
      }
      return outcomes;
    },
  };
}

export const generateVapidKeys = () => webpush.generateVAPIDKeys();
