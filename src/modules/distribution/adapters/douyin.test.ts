import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DouyinFake } from '../../../test/fakes/douyin.fake.ts';
import { testSource } from '../../../test/rendition-source.ts';
import { failureOf, fakeMedia, loopbackHttp, mp4Bytes, rendition, request } from '../../../test/adapter-test-kit.ts';
import { createDouyinAdapter } from './douyin.ts';

let fake: DouyinFake;
beforeAll(async () => {
  fake = await new DouyinFake().start();
  fake.minPartBytes = 10;
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.refusedWords = [];
});

const video = mp4Bytes(25);
let n = 0;
function douyinRequest(over: Parameters<typeof request>[2] = {}, type: 'video' | 'article' = 'video') {
  n++;
  return request(
    {
      kind: 'douyin',
      config: { clientKey: fake.clientKey, openId: fake.openId, apiBase: fake.base },
      secrets: { accessToken: fake.initialToken, refreshToken: fake.refreshToken },
    },
    rendition('douyin', { text: `锦江区冬季文旅消费季开幕 第${n}条 #文旅 #锦江`, videoAssetId: 'video-1', cover: { assetId: 'cover-1', crop: 'crop_16x9' } }),
    {
      idempotencyKey: `douyin-channel:item-${n}:publish:1`,
      source: testSource({ type }),
      media: fakeMedia({ 'video-1': { bytes: video, mime: 'video/mp4' } }),
      ...over,
    },
  );
}

const adapter = (timeoutMs = 1_000) => createDouyinAdapter({ http: loopbackHttp(), timeoutMs, partTimeoutMs: timeoutMs, chunkBytes: 10 });

describe('Douyin adapter against the fake open.douyin.com', () => {
  it('uploads the video in parts, completes it and creates the post', async () => {
    const req = douyinRequest();
    const result = await adapter().deliver(req);
    const item = fake.items.find((i) => i.itemId === result.remoteId)!;
    expect(item.title).toBe(req.rendition.text);
    expect(fake.videos.get(item.videoId)).toEqual(video);
    expect(result.remoteUrl).toMatch(/^https:\/\/www\.iesdouyin\.com\/share\/video\//);
    expect(fake.count('/video/part/upload/')).toBe(3);
  });

  it('refuses anything but a video before calling Douyin', async () => {
    const calls = fake.http.calls.length;
    const article = await failureOf(adapter().deliver(douyinRequest({}, 'article')));
    expect(article.failure).toBe('rejected');
    expect(article.message).toContain('抖音只发布视频');
    const noVideo = douyinRequest({ media: fakeMedia() });
    noVideo.rendition = { ...noVideo.rendition, videoAssetId: null };
    expect((await failureOf(adapter().deliver(noVideo))).message).toContain('没有可上传的视频');
    expect(fake.http.calls.length).toBe(calls);
  });

  it('refreshes an expired access token (2190008) once and keeps the new one; an expired refresh_token is auth', async () => {
    const dy = adapter();
    await dy.deliver(douyinRequest());
    fake.expireAccessTokens();
    const refreshes = fake.refreshes;
    await dy.deliver(douyinRequest());
    await dy.deliver(douyinRequest());
    expect(fake.refreshes).toBe(refreshes + 1);

    fake.expireAccessTokens();
    fake.expireRefreshToken();
    const gone = await failureOf(dy.deliver(douyinRequest()));
    expect(gone.failure).toBe('auth');
    expect(gone.detail.platformCode).toBe(10010);
    expect(gone.message).toContain('重新授权');

    // The admin authorises again and stores the new tokens: the very next delivery uses them.
    const again = douyinRequest();
    fake.refreshToken = 'rft.after-reauthorisation';
    again.channel.secrets = { accessToken: fake.initialToken, refreshToken: fake.refreshToken };
    fake.restoreToken(fake.initialToken);
    expect((await dy.deliver(again)).remoteId).toBeTruthy();
  });
});

describe('Douyin adapter: limits, refusals and lost answers', () => {
  let fresh: DouyinFake;
  beforeAll(async () => {
    fresh = await new DouyinFake().start();
    fresh.minPartBytes = 10;
  });
  afterAll(() => fresh.close());
  const req = (over: Parameters<typeof request>[2] = {}) => {
    const r = douyinRequest(over);
    r.channel.config = { ...r.channel.config, apiBase: fresh.base };
    return r;
  };

  it('maps the request rate limit to rate_limited and a refused description to rejected', async () => {
    fresh.failNext('/video/create/', 28003018, '请求频率过高');
    const limited = await failureOf(adapter().deliver(req()));
    expect(limited.failure).toBe('rate_limited');
    expect(limited.detail.retryAfterMs).toBeGreaterThan(0);

    fresh.refusedWords = ['文旅消费季'];
    const refused = await failureOf(adapter().deliver(req()));
    expect(refused.failure).toBe('rejected');
    expect(refused.detail.platformCode).toBe(2100005);
    fresh.refusedWords = [];

    fresh.failNext('/video/part/init/', 2100004, '系统繁忙');
    expect((await failureOf(adapter().deliver(req()))).failure).toBe('retry');
  });

  it('a create whose answer never comes is unknown; reconcile finds the video, so it is not posted twice', async () => {
    const dy = adapter(300);
    fresh.hangNext('/video/create/', { process: true });
    const r = req();
    expect((await failureOf(dy.deliver(r))).failure).toBe('unknown');
    const count = fresh.items.length;
    const found = await dy.reconcile(r);
    expect(found?.remoteId).toBe(fresh.items[0]!.itemId);
    expect(fresh.items.length).toBe(count);
  });

  it('a create that never reached Douyin is unknown; reconcile finds nothing, so sending again is safe', async () => {
    const dy = adapter(300);
    fresh.hangNext('/video/create/', { process: false });
    const r = req();
    expect((await failureOf(dy.deliver(r))).failure).toBe('unknown');
    expect(await dy.reconcile(r)).toBeNull();
    const count = fresh.items.length;
    const result = await dy.deliver(r);
    expect(fresh.items.length).toBe(count + 1);
    expect((await dy.reconcile(r))?.remoteId).toBe(result.remoteId);
  });

  it('an upload part lost on the way is retry (nothing is public yet)', async () => {
    fresh.hangNext('/video/part/upload/', { process: false });
    expect((await failureOf(adapter(300).deliver(req()))).failure).toBe('retry');
  });

  it('retracts with video/delete; a second retraction still succeeds; update is refused', async () => {
    const dy = adapter();
    const published = await dy.deliver(req());
    const retract = req({ action: 'retract', remote: { id: published.remoteId, url: published.remoteUrl } });
    await dy.deliver(retract);
    expect(fresh.items.some((i) => i.itemId === published.remoteId)).toBe(false);
    expect((await dy.deliver(retract)).remoteId).toBe(published.remoteId);
    expect((await failureOf(dy.deliver(req({ action: 'update' })))).failure).toBe('rejected');
  });
});
