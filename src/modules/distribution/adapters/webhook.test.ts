import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundHttpClient } from '../../../platform/http-client/outbound.ts';
import { sign, verifySignature } from '../../../platform/http-client/signature.ts';
import { type DeliveryRequest, DeliveryError, type Rendition } from '../contract.ts';
import { WebhookReceiver } from '../../../test/webhook-receiver.ts';
import { webhookAdapter } from './webhook.ts';

/** The webhook channel adapter against a local receiver: signing, the answer of each status, and timeouts. */
const SECRET = 'adapter-test-signing-secret';
let receiver: WebhookReceiver;
const adapter = () => webhookAdapter(new OutboundHttpClient({ allowPrivate: true }));

beforeAll(async () => {
  receiver = await new WebhookReceiver(() => SECRET).start();
});
afterAll(() => receiver.close());

const rendition: Rendition = { channel: 'webhook', title: '标题', summary: '摘要', cover: null, aiLabel: null, html: '<p>正文</p>', text: null, blocks: null, link: 'https://example.cn/a/1', notes: [] };
const request = (over: Partial<DeliveryRequest> = {}, signal = new AbortController().signal): DeliveryRequest => ({
  deliveryId: 'd1',
  idempotencyKey: `key-${Math.random()}`,
  action: 'publish',
  channel: { id: 'c1', unitId: 'u1', kind: 'webhook', name: 'hook', config: { url: `${receiver.base}/hook` }, secrets: { signingSecret: SECRET } },
  rendition,
  remote: null,
  media: { load: () => Promise.reject(new Error('none')) },
  signal,
  ...over,
});
const failureOf = (p: Promise<unknown>) => p.then(() => null, (err: DeliveryError) => ({ failure: err.failure, detail: err.detail }));

describe('webhook channel adapter', () => {
  it('signs the body and sends the idempotency key; the answer gives the remote id and link', async () => {
    const req = request();
    const result = await adapter().deliver(req);
    expect(result.remoteUrl).toContain('/posts/');
    const post = receiver.posts.get(req.idempotencyKey)!;
    expect(post.event).toBe('publish');
    expect(post.body).toMatchObject({ event: 'publish', rendition: { title: '标题' }, link: 'https://example.cn/a/1' });
    expect(receiver.badSignatures).toBe(0);
    const t = String(Math.floor(Date.now() / 1000));
    expect(verifySignature(SECRET, t, '{}', sign(SECRET, t, '{}'))).toBe(true);
    expect(verifySignature(SECRET, t, '{}', sign('other', t, '{}'))).toBe(false);
    expect(verifySignature(SECRET, String(Number(t) - 3600), '{}', sign(SECRET, String(Number(t) - 3600), '{}'))).toBe(false);
  });

  it('classifies answers: 429 throttles with Retry-After, 503 retries, 422 rejects, a bad secret is auth', async () => {
    const expectations = [
      ['throttle', { failure: 'rate_limited', detail: { retryAfterMs: 1000, platformCode: 429 } }],
      ['fail', { failure: 'retry', detail: { platformCode: 503 } }],
      ['reject', { failure: 'rejected', detail: { platformCode: 422 } }],
    ] as const;
    for (const [mode, expected] of expectations) {
      receiver.mode = mode;
      receiver.modeCalls = 1;
      expect(await failureOf(adapter().deliver(request())), mode).toEqual(expected);
    }
    const wrongSecret = request();
    wrongSecret.channel = { ...wrongSecret.channel, secrets: { signingSecret: 'not-the-receivers-secret' } };
    expect((await failureOf(adapter().deliver(wrongSecret)))?.failure).toBe('auth');
  });

  it('a call the receiver took but never answered is unknown once the worker gives up', async () => {
    receiver.mode = 'hang';
    receiver.modeCalls = 1;
    const abort = new AbortController();
    const req = request({}, abort.signal);
    setTimeout(() => abort.abort(), 300);
    expect((await failureOf(adapter().deliver(req)))?.failure).toBe('unknown');
    expect(receiver.posts.has(req.idempotencyKey)).toBe(true);
    receiver.dropHung();
    // reconcile asks nothing: the same key is sent again and the receiver keeps one post
    expect(await adapter().reconcile(req)).toBeNull();
    await adapter().deliver({ ...req, signal: new AbortController().signal });
    expect([...receiver.posts.keys()].filter((k) => k === req.idempotencyKey)).toHaveLength(1);
  });

  it('refuses loopback and private receivers unless the operator allows them', async () => {
    const strict = webhookAdapter(new OutboundHttpClient({}));
    expect((await failureOf(strict.deliver(request())))?.failure).toBe('rejected');
  });
});
