import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetuiFake } from '../../../test/fakes/getui.fake.ts';
import { JPushFake } from '../../../test/fakes/jpush.fake.ts';
import { WebPushFake } from '../../../test/fakes/webpush.fake.ts';
import { loopbackHttp } from '../../../test/adapter-test-kit.ts';
import { type PushApp, PushError, type PushMessage } from './contract.ts';
import { createGetuiAdapter } from './getui.ts';
import { createJPushAdapter } from './jpush.ts';
import { createWebPushAdapter, generateVapidKeys } from './webpush.ts';

const message: PushMessage = { campaignId: '7f8e2c1a-0000-4000-8000-000000000001', title: '锦江区今晚灯会', body: '东大街灯会今晚开幕', url: 'https://news.example.cn/push/o/abc', urgent: false };

async function failureOf(p: Promise<unknown>): Promise<PushError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PushError) return err;
    throw err;
  }
  throw new Error('expected a PushError');
}

describe('Web Push (VAPID, aes128gcm) against a push service that decrypts', () => {
  let fake: WebPushFake;
  const keys = generateVapidKeys();
  const adapter = (k = keys) => createWebPushAdapter({ http: loopbackHttp(), vapid: async () => ({ subject: 'mailto:push@news.example.cn', ...k }) });
  beforeAll(async () => {
    fake = await new WebPushFake().start();
  });
  afterAll(() => fake.close());

  it('the subscription decrypts the payload; the VAPID signature verifies', async () => {
    const sub = fake.subscribe();
    const [out] = await adapter().send(null, message, [{ registrationId: 'r1', address: sub.endpoint, keys: sub.keys }]);
    expect(out).toMatchObject({ registrationId: 'r1', ok: true });
    expect(fake.messagesFor(sub.endpoint)).toEqual([{ title: message.title, body: message.body, url: message.url, campaign: message.campaignId }]);
    expect(fake.vapidKeysSeen.at(-1)).toBe(keys.publicKey);
  });

  it('a payload encrypted to another subscription cannot be read (400), a gone one is marked gone', async () => {
    const a = fake.subscribe();
    const b = fake.subscribe();
    const [wrong] = await adapter().send(null, message, [{ registrationId: 'x', address: a.endpoint, keys: b.keys }]);
    expect(wrong!.ok).toBe(false);
    expect(wrong!.error).toContain('400');
    fake.unsubscribe(a.endpoint);
    const [gone] = await adapter().send(null, message, [{ registrationId: 'y', address: a.endpoint, keys: a.keys }]);
    expect(gone).toMatchObject({ ok: false, gone: true });
  });

  it('rate limit (429) fails that address; a refused VAPID key is auth', async () => {
    const sub = fake.subscribe();
    fake.rateLimitNext();
    const [limited] = await adapter().send(null, message, [{ registrationId: 'z', address: sub.endpoint, keys: sub.keys }]);
    expect(limited!.error).toContain('429');
    // A JWT signed by one key but presented with another's public key does not verify.
    const other = generateVapidKeys();
    const err = await failureOf(adapter({ publicKey: other.publicKey, privateKey: keys.privateKey }).send(null, message, [{ registrationId: 'z', address: sub.endpoint, keys: sub.keys }]));
    expect(err.failure).toBe('auth');
  });
});

describe('JPush adapter against the fake api.jpush.cn', () => {
  let fake: JPushFake;
  let app: PushApp;
  const adapter = () => createJPushAdapter({ http: loopbackHttp() });
  beforeAll(async () => {
    fake = await new JPushFake().start();
    app = { id: 'app-1', kind: 'jpush', config: { apiBase: fake.base, apnsProduction: 'false' }, secrets: { appKey: fake.appKey, masterSecret: fake.masterSecret } };
    fake.devices.add('1a0018970a8b5c6d7e8');
    fake.devices.add('1a0018970a8b5c6d7e9');
  });
  afterAll(() => fake.close());

  it('pushes to registration ids with Basic auth; options.apns_production follows the app', async () => {
    const out = await adapter().send(app, message, [
      { registrationId: 'a', address: '1a0018970a8b5c6d7e8' },
      { registrationId: 'b', address: '1a0018970a8b5c6d7e9' },
    ]);
    expect(out.every((o) => o.ok && o.remoteId)).toBe(true);
    expect(fake.received.get('1a0018970a8b5c6d7e8')![0]).toMatchObject({ title: message.title, alert: message.body, url: message.url, apnsProduction: false });
  });

  it('1004 (wrong masterSecret) is auth; 2002 is rate_limited with X-Rate-Limit-Reset; 1011 fails the targets', async () => {
    const bad = await failureOf(adapter().send({ ...app, secrets: { ...app.secrets, masterSecret: 'wrong' } }, message, [{ registrationId: 'a', address: '1a0018970a8b5c6d7e8' }]));
    expect(bad.failure).toBe('auth');
    expect(bad.detail.platformCode).toBe(1004);
    fake.rateLimitNext();
    const limited = await failureOf(adapter().send(app, message, [{ registrationId: 'a', address: '1a0018970a8b5c6d7e8' }]));
    expect(limited.failure).toBe('rate_limited');
    expect(limited.detail).toEqual({ platformCode: 2002, retryAfterMs: 7000 });
    const [none] = await adapter().send(app, message, [{ registrationId: 'c', address: 'unknown-device' }]);
    expect(none).toMatchObject({ ok: false });
    expect(none!.error).toContain('1011');
  });
});

describe('Getui adapter against the fake restapi.getui.com', () => {
  let fake: GetuiFake;
  let app: PushApp;
  beforeAll(async () => {
    fake = await new GetuiFake().start();
    app = { id: 'app-2', kind: 'getui', config: { apiBase: fake.base }, secrets: { appId: fake.appId, appKey: fake.appKey, masterSecret: fake.masterSecret } };
  });
  afterAll(() => fake.close());

  it('signs in once (sha256 sign), caches the token, pushes a batch by cid', async () => {
    const adapter = createGetuiAdapter({ http: loopbackHttp() });
    const targets = [
      { registrationId: 'a', address: 'cid-aaaa' },
      { registrationId: 'b', address: 'cid-bbbb' },
    ];
    const out = await adapter.send(app, message, targets);
    expect(out.map((o) => o.ok)).toEqual([true, true]);
    await adapter.send(app, message, targets.slice(0, 1));
    expect(fake.authCalls).toBe(1);
    expect(fake.received.get('cid-aaaa')).toHaveLength(2);
    expect(fake.received.get('cid-bbbb')![0]).toEqual({ title: message.title, body: message.body, url: message.url });
  });

  it('an expired token (10001) re-authenticates once and the push goes through', async () => {
    const adapter = createGetuiAdapter({ http: loopbackHttp() });
    await adapter.send(app, message, [{ registrationId: 'a', address: 'cid-aaaa' }]);
    const before = fake.authCalls;
    fake.expireTokens();
    const [out] = await adapter.send(app, message, [{ registrationId: 'a', address: 'cid-aaaa' }]);
    expect(out!.ok).toBe(true);
    expect(fake.authCalls).toBe(before + 1);
  });

  it('a wrong masterSecret is auth; HTTP 429 is rate_limited', async () => {
    const wrong = await failureOf(createGetuiAdapter({ http: loopbackHttp() }).send({ ...app, secrets: { ...app.secrets, masterSecret: 'x' } }, message, [{ registrationId: 'a', address: 'cid-a' }]));
    expect(wrong.failure).toBe('auth');
    const adapter = createGetuiAdapter({ http: loopbackHttp() });
    fake.rateLimitNext();
    const limited = await failureOf(adapter.send(app, message, [{ registrationId: 'a', address: 'cid-a' }]));
    expect(limited.failure).toBe('rate_limited');
    expect(limited.detail.retryAfterMs).toBe(3000);
  });
});
