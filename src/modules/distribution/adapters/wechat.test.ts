import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WechatFake } from '../../../test/fakes/wechat.fake.ts';
import { failureOf, fakeMedia, loopbackHttp, rendition, request } from '../../../test/adapter-test-kit.ts';
import { keyTag } from './platform-http.ts';
import { createWechatAdapter } from './wechat.ts';

let fake: WechatFake;
beforeAll(async () => {
  fake = await new WechatFake().start();
});
afterAll(() => fake.close());

const html =
  '<section><p style="margin:0">大运公园今起开放。</p>' +
  '<section style="text-align:center;"><img data-asset-id="img-1" src="https://news.example.cn/assets/img-1/large" alt="公园" style="max-width:100%;"></section>' +
  '<p>第二张：</p><img data-asset-id="img-2" alt="湖">' +
  '<img data-asset-id="img-1" src="https://news.example.cn/assets/img-1/large" alt="again"></section>';

let key = 0;
function wechatRequest(over: Parameters<typeof request>[2] = {}, cfg: Record<string, unknown> = {}, secrets: Record<string, string> = {}) {
  key++;
  return request(
    { kind: 'wechat', config: { appId: fake.appId, apiBase: fake.base, author: '锦江融媒', needOpenComment: true, ...cfg }, secrets: { appSecret: fake.appSecret, ...secrets } },
    rendition('wechat', { html }),
    { idempotencyKey: `wechat-channel:item-${key}:publish:1`, ...over },
  );
}

const adapter = (over: Partial<Parameters<typeof createWechatAdapter>[0]> = {}) =>
  createWechatAdapter({ http: loopbackHttp(), timeoutMs: 1_000, pollIntervalMs: 5, publishWaitMs: 2_000, ...over });

beforeEach(() => {
  fake.pollsBeforeDone = 1;
  fake.nextOutcome = 0;
  fake.refusedWords = [];
});

describe('WeChat Official Account adapter against the fake api.weixin.qq.com', () => {
  it('uploads body images and the cover, saves a draft, submits it and polls until it is live', async () => {
    const wx = adapter();
    const req = wechatRequest();
    const media = req.media as ReturnType<typeof fakeMedia>;
    const result = await wx.deliver(req);

    expect(result.remoteId).toMatch(/^ARTICLE_/);
    expect(result.remoteUrl).toMatch(/^https:\/\/mp\.weixin\.qq\.com\/s\//);
    const live = fake.published.find((p) => p.articleId === result.remoteId)!;
    // Each body image went through media/uploadimg once; the <img> now shows WeChat's copy.
    expect(fake.count('/cgi-bin/media/uploadimg')).toBe(2);
    expect(live.article.content).not.toContain('news.example.cn/assets');
    expect(live.article.content.match(/src="http:\/\/mmbiz\.qpic\.cn\//g)).toHaveLength(3);
    expect(media.loads).toEqual(['img-1:large', 'img-2:large', 'cover-1:crop_16x9']);
    expect(live.article).toMatchObject({ title: '成都大运公园今日开放', author: '锦江融媒', digest: '占地 1200 亩的大运公园今起向市民开放。', need_open_comment: 1 });
    expect(fake.materials.has(live.article.thumb_media_id.replace('MEDIA_', ''))).toBe(true);
    // 阅读原文 carries the idempotency tag that reconcile looks for.
    expect(new URL(live.article.content_source_url!).searchParams.get('tfk')).toBe(keyTag(req.idempotencyKey));
    expect(fake.count('/cgi-bin/freepublish/get')).toBeGreaterThanOrEqual(2);
  });

  it('caches the access token per channel and refreshes it once when WeChat says it expired (42001)', async () => {
    const wx = adapter();
    const before = fake.count('/cgi-bin/stable_token');
    await wx.deliver(wechatRequest());
    await wx.deliver(wechatRequest());
    expect(fake.count('/cgi-bin/stable_token') - before).toBe(1);

    fake.expireTokens();
    const issued = fake.tokenFetches;
    const result = await wx.deliver(wechatRequest());
    expect(result.remoteId).toMatch(/^ARTICLE_/);
    expect(fake.count('/cgi-bin/stable_token') - before).toBe(2);
    expect(fake.tokenFetches).toBe(issued + 1);
  });

  it('maps a wrong AppSecret to auth, the API quota (45009) to rate_limited and -1 to retry', async () => {
    const auth = await failureOf(adapter().deliver(wechatRequest({}, {}, { appSecret: 'wrong' })));
    expect(auth.failure).toBe('auth');
    expect(auth.detail.platformCode).toBe(40125);

    const wx = adapter();
    fake.failNext('/cgi-bin/draft/add', 45009, 'reach max api daily quota limit');
    const limited = await failureOf(wx.deliver(wechatRequest()));
    expect(limited.failure).toBe('rate_limited');
    expect(limited.detail.retryAfterMs).toBeGreaterThan(0);

    fake.failNext('/cgi-bin/freepublish/submit', -1, 'system error');
    expect((await failureOf(wx.deliver(wechatRequest()))).failure).toBe('retry');
  });

  it('reports content refused at draft/add (45166) and by the platform audit (publish_status 4) as rejected', async () => {
    const wx = adapter();
    fake.refusedWords = ['大运公园'];
    const refused = await failureOf(wx.deliver(wechatRequest()));
    expect(refused.failure).toBe('rejected');
    expect(refused.detail.platformCode).toBe(45166);

    fake.refusedWords = [];
    fake.nextOutcome = 4;
    const audit = await failureOf(wx.deliver(wechatRequest()));
    expect(audit.failure).toBe('rejected');
    expect(audit.message).toContain('平台审核不通过');
  });

  it('re-encodes a WebP body image (our renditions of transparent pictures) as JPEG, since WeChat takes jpg/png only', async () => {
    const webp = await sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 200, g: 30, b: 30, alpha: 0.5 } } }).webp().toBuffer();
    const req = wechatRequest({ media: fakeMedia({ 'img-2': { bytes: webp, mime: 'image/webp' } }) });
    const before = new Set(fake.images.keys());
    await adapter().deliver(req);
    const uploaded = [...fake.images.entries()].filter(([id]) => !before.has(id)).map(([, bytes]) => bytes);
    expect(uploaded).toHaveLength(2);
    expect(uploaded.every((b) => b[0] === 0xff && b[1] === 0xd8)).toBe(true);
    expect((await sharp(uploaded[1]!).metadata()).format).toBe('jpeg');
  });

  it('refuses an article without a cover before calling WeChat, unless the channel has a default cover', async () => {
    const calls = fake.http.calls.length;
    const req = wechatRequest();
    req.rendition = { ...req.rendition, cover: null };
    expect((await failureOf(adapter().deliver(req))).failure).toBe('rejected');
    expect(fake.http.calls.length).toBe(calls);

    // With the channel's default cover (a permanent image already in the account's library) it goes out.
    const withDefault = wechatRequest({}, { defaultThumbMediaId: [...fake.materials.keys()].map((id) => `MEDIA_${id}`)[0] });
    withDefault.rendition = { ...withDefault.rendition, cover: null };
    const result = await adapter().deliver(withDefault);
    expect(fake.published.find((p) => p.articleId === result.remoteId)?.article.thumb_media_id).toBe(withDefault.channel.config.defaultThumbMediaId);
  });

  it('a submit whose answer never comes is unknown; reconcile finds the article, so it is not posted twice', async () => {
    const wx = adapter({ timeoutMs: 300 });
    fake.pollsBeforeDone = 0;
    fake.hangNext('/cgi-bin/freepublish/submit', { process: true });
    const req = wechatRequest();
    const lost = await failureOf(wx.deliver(req));
    expect(lost.failure).toBe('unknown');

    const before = fake.published.length;
    const found = await wx.reconcile(req);
    expect(found?.remoteId).toMatch(/^ARTICLE_/);
    expect(fake.published.find((p) => p.articleId === found!.remoteId)?.article.title).toBe('成都大运公园今日开放');
    expect(fake.published.length).toBe(before);
  });

  it('a submit that never reached WeChat is unknown; reconcile sees the draft still in the draft box and says it is safe to send', async () => {
    const wx = adapter({ timeoutMs: 300 });
    fake.hangNext('/cgi-bin/freepublish/submit', { process: false });
    const req = wechatRequest();
    expect((await failureOf(wx.deliver(req))).failure).toBe('unknown');
    expect(await wx.reconcile(req)).toBeNull();

    const before = fake.published.length;
    const result = await wx.deliver(req);
    expect(fake.published.length).toBe(before + 1);
    expect(await wx.reconcile(req)).toEqual(result);
  });

  it('a reconcile in a fresh process (no memory of the send) relies on the published list alone', async () => {
    const req = wechatRequest();
    expect(await adapter().reconcile(req)).toBeNull();
    const result = await adapter().deliver(req);
    expect(await adapter().reconcile(req)).toEqual(result);
  });

  it('while WeChat is still publishing, deliver and reconcile say unknown until the article is live', async () => {
    const wx = adapter({ publishWaitMs: 30 });
    fake.pollsBeforeDone = 1_000;
    const req = wechatRequest();
    expect((await failureOf(wx.deliver(req))).failure).toBe('unknown');
    expect((await failureOf(wx.reconcile(req))).failure).toBe('unknown');
    fake.finishAll();
    expect((await wx.reconcile(req))?.remoteId).toMatch(/^ARTICLE_/);
  });

  it('the worker giving up while the submit is on the wire makes it unknown', async () => {
    const wx = adapter({ timeoutMs: 5_000 });
    fake.hangNext('/cgi-bin/freepublish/submit', { process: false });
    const controller = new AbortController();
    const req = wechatRequest({ signal: controller.signal });
    const work = failureOf(wx.deliver(req));
    setTimeout(() => controller.abort(), 150);
    expect((await work).failure).toBe('unknown');
  });

  it('retracts with freepublish/delete, and a second retraction of a deleted article still succeeds', async () => {
    const wx = adapter();
    const published = await wx.deliver(wechatRequest());
    const retract = wechatRequest({ action: 'retract', remote: { id: published.remoteId, url: published.remoteUrl } });
    await wx.deliver(retract);
    expect(fake.published.some((p) => p.articleId === published.remoteId)).toBe(false);
    expect((await wx.deliver(retract)).remoteId).toBe(published.remoteId);
    expect(await wx.reconcile(retract)).toEqual({ remoteId: published.remoteId, remoteUrl: published.remoteUrl });
    expect((await failureOf(wx.deliver(wechatRequest({ action: 'update' })))).failure).toBe('rejected');
  });
});
