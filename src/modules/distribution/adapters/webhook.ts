import { Type } from 'typebox';
import { OutboundError, type OutboundHttpClient, type OutboundResponse } from '../../../platform/http-client/outbound.ts';
import { sign } from '../../../platform/http-client/signature.ts';
import { urlSettingProblem } from './platform-http.ts';
import { type ChannelAdapter, DeliveryError, type DeliveryRequest, type DeliveryResult } from '../contract.ts';

/**
 * 自建系统接口 (webhook channel): the rendition POSTed as JSON to a unit's own system, signed like the
 * newsroom's webhooks. Headers: X-Tianfu-Signature (sha256=HMAC of "<timestamp>.<body>"),
 * X-Tianfu-Timestamp, X-Tianfu-Event (publish | update | retract) and Idempotency-Key.
 *
 * Exactly once is shared with the receiver: the Idempotency-Key is stable for a (channel, item, action,
 * revision), and a receiver MUST treat a repeated key as the same delivery. So reconcile asks the
 * receiver nothing and answers "not landed": after an unknown outcome the same call is sent again with
 * the same key, and the receiver's dedupe makes it one post. A 2xx answer may carry {"id","url"} JSON,
 * recorded as the remote id/link (else the idempotency key is the remote id).
 */
export const webhookSettings = {
  config: Type.Object(
    {
      url: Type.String({ format: 'uri', maxLength: 2000, description: '接收地址 / receiver URL (http or https)' }),
    },
    { additionalProperties: false },
  ),
  secrets: Type.Object(
    {
      signingSecret: Type.String({ minLength: 16, maxLength: 200, description: '签名密钥 / HMAC secret shared with the receiver' }),
    },
    { additionalProperties: false },
  ),
};

export function webhookAdapter(http: OutboundHttpClient, options: { timeoutMs?: number } = {}): ChannelAdapter {
  return {
    kind: 'webhook',
    supports: { update: true, retract: true },
    settings: webhookSettings,
    checkConfig: (config) => urlSettingProblem(http, config, ['url']),
    async deliver(req) {
      const url = String(req.channel.config.url ?? '');
      const secret = req.channel.secrets.signingSecret;
      if (!url || !secret) throw new DeliveryError('auth', '自建系统接口未配置接收地址或签名密钥 / the webhook channel has no URL or signing secret');
      const body = JSON.stringify(payload(req));
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers = {
        'content-type': 'application/json',
        'x-tianfu-event': req.action,
        'x-tianfu-timestamp': timestamp,
        'x-tianfu-signature': sign(secret, timestamp, body),
        'idempotency-key': req.idempotencyKey,
      };
      const res = await abortable(http.request(url, { method: 'POST', body, headers, maxRedirects: 0, timeoutMs: options.timeoutMs }), req.signal);
      return outcome(res, req);
    },
    // See above: the receiver dedupes by Idempotency-Key, so sending again is the reconciliation.
    async reconcile() {
      return null;
    },
  };
}

function payload(req: DeliveryRequest) {
  return {
    event: req.action,
    deliveryId: req.deliveryId,
    idempotencyKey: req.idempotencyKey,
    channelId: req.channel.id,
    unitId: req.channel.unitId,
    itemId: req.source?.itemId ?? null,
    revision: req.source?.revision ?? null,
    rendition: req.action === 'retract' ? null : req.rendition,
    link: req.rendition.link,
    remote: req.remote,
    retractionNote: req.action === 'retract' ? (req.retractionNote ?? null) : null,
    correctionNote: req.source?.correctionNote ?? null,
    sentAt: new Date().toISOString(),
  };
}

/** Outbound failures by whether anything can have reached the receiver. */
async function abortable(request: Promise<OutboundResponse>, signal: AbortSignal): Promise<OutboundResponse> {
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new DeliveryError('unknown', '等待接收方应答超时 / no answer from the receiver in time'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([request, aborted]);
  } catch (err) {
    if (err instanceof DeliveryError) throw err;
    if (err instanceof OutboundError) {
      if (err.code === 'bad_url' || err.code === 'blocked_address') throw new DeliveryError('rejected', `${err.zh} / ${err.message}`);
      if (err.code === 'dns') throw new DeliveryError('retry', `${err.zh} / ${err.message}`);
      // A timeout or a dropped connection may come after the receiver took the call.
      throw new DeliveryError('unknown', `${err.zh} / ${err.message}`);
    }
    throw new DeliveryError('unknown', (err as Error).message);
  } finally {
    signal.removeEventListener('abort', onAbort);
    aborted.catch(() => {});
  }
}

function outcome(res: OutboundResponse, req: DeliveryRequest): DeliveryResult {
  const status = res.status;
  if (status >= 200 && status < 300) {
    let answer: { id?: unknown; url?: unknown } = {};
    try {
      answer = JSON.parse(res.text() || '{}') as typeof answer;
    } catch {
      // a receiver need not answer JSON
    }
    return {
      remoteId: typeof answer.id === 'string' || typeof answer.id === 'number' ? String(answer.id) : req.idempotencyKey,
      remoteUrl: typeof answer.url === 'string' ? answer.url : null,
    };
  }
  const what = `接收方返回 HTTP ${status} / the receiver answered HTTP ${status}`;
  if (status === 429) {
    const seconds = Number(res.headers['retry-after']);
    throw new DeliveryError('rate_limited', what, { retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : 60_000, platformCode: status });
  }
  if (status === 401 || status === 403) throw new DeliveryError('auth', what, { platformCode: status });
  if (status === 408 || status >= 500) throw new DeliveryError('retry', what, { platformCode: status });
  throw new DeliveryError('rejected', what, { platformCode: status });
}
