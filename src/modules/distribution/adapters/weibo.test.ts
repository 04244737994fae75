import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WeiboFake } from '../../../test/fakes/weibo.fake.ts';
import { failureOf, loopbackHttp, rendition, request } from '../../../test/adapter-test-kit.ts';
import { keyTag } from './platform-http.ts';
import { createWeiboAdapter, weiboLength } from './weibo.ts';

let fake: WeiboFake;
beforeAll(async () => {
  fake = await new WeiboFake().start();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.renewToken();
  fake.refusedWords = [];
  fake.secureDomain = 'news.example.cn';
});

const link = 'https://news.example.cn/portal/510104/a/item-1';
let n = 0;
function weiboRequest(over: Parameters<typeof request>[2] = {}, cfg: Record<string, unknown> = {}, text?: string) {
  n++;
  const summary = `大运公园今起向市民开放，第 ${n} 条。`;
  return request(
    { kind: 'weibo', config: { boundDomain: 'news.example.cn', reportIp: '203.0.113.7', apiBase: fake.base, ...cfg }, secrets: { accessToken: fake.accessToken } },
    rendition('weibo', { summary, text: text ?? `【成都大运公园今日开放】${summary} 全文：${link}`, link, cover: { assetId: 'cover-1', crop: 'crop_1x1' } }),
    { idempotencyKey: `weibo-channel:item-${n}:publish:1`, ...over },
  );
}

const adapter = (timeoutMs = 1_000) => createWeiboAdapter({ http: loopbackHttp(), timeoutMs });

describe('Weibo adapter against the fake api.weibo.com', () => {
  it('shares the post with its tagged link and the cover picture', async () => {
    const req = weiboRequest();
    const result = await adapter().deliver(req);
    const posted = fake.statuses.find((s) => s.idstr === result.remoteId)!;
    expect(result.remoteUrl).toBe(`https://m.weibo.cn/status/${result.remoteId}`);
    expect(posted.text).toContain(`${link}?tfk=${keyTag(req.idempotencyKey)}`);
    expect(posted.text.startsWith('【成都大运公园今日开放】')).toBe(true);
    expect(posted.original_pic).toBeDefined();
  });

  it('an expired or revoked token is auth with a message to authorise again', async () => {
    fake.expireToken();
    const expired = await failureOf(adapter().deliver(weiboRequest()));
    expect(expired.failure).toBe('auth');
    expect(expired.detail.platformCode).toBe(21327);
    expect(expired.message).toContain('重新授权');

    fake.renewToken();
    const req = weiboRequest();
    req.channel.secrets = { accessToken: 'revoked' };
    expect((await failureOf(adapter().deliver(req))).detail.platformCode).toBe(21332);
  });

  it('maps the user rate limit (10023) to rate_limited and refused content (20021) to rejected', async () => {
    fake.failNext('/2/statuses/share.json', 10023, 'User requests out of rate limit!', 403);
    const limited = await failureOf(adapter().deliver(weiboRequest()));
    expect(limited.failure).toBe('rate_limited');
    expect(limited.detail.retryAfterMs).toBeGreaterThan(0);

    fake.refusedWords = ['大运公园'];
    const refused = await failureOf(adapter().deliver(weiboRequest()));
    expect(refused.failure).toBe('rejected');
    expect(refused.detail.platformCode).toBe(20021);

    // 20032 "update success, while server slow now": sent, not yet visible — reconcile, do not resend.
    fake.refusedWords = [];
    fake.failNext('/2/statuses/share.json', 20032, 'Update success, while server slow now, please wait 1-2 minutes', 200);
    expect((await failureOf(adapter().deliver(weiboRequest()))).failure).toBe('unknown');
  });

  it('checks the bound-domain link rule and #话题# before sending, and maps the platform refusing the domain', async () => {
    const calls = fake.http.calls.length;
    const local = await failureOf(adapter().deliver(weiboRequest({}, { boundDomain: 'other.example.org' })));
    expect(local.failure).toBe('rejected');
    expect(local.message).toContain('安全域名');
    const topic = await failureOf(adapter().deliver(weiboRequest({}, {}, `【标题】#成都# 大运公园开放 ${link}`)));
    expect(topic.message).toContain('#话题词#');
    expect(fake.http.calls.length).toBe(calls);

    fake.secureDomain = 'another.example.cn';
    const platform = await failureOf(adapter().deliver(weiboRequest()));
    expect(platform.failure).toBe('rejected');
    expect(platform.message).toContain('安全域名');
  });

  it('shortens an over-long summary to the documented 140, keeping the link and the labels', async () => {
    const long = '成都东安湖畔的大运公园今起向市民免费开放，'.repeat(12);
    const text = `【成都大运公园今日开放】${long} 【AI 辅助生成】 全文：${link}`;
    const req = weiboRequest({}, {}, text);
    req.rendition = { ...req.rendition, summary: long };
    const result = await adapter().deliver(req);
    const posted = fake.statuses.find((s) => s.idstr === result.remoteId)!;
    expect(weiboLength(posted.text)).toBeLessThanOrEqual(140);
    expect(posted.text).toContain('【AI 辅助生成】');
    expect(posted.text).toContain('…');
    expect(posted.text).toContain(keyTag(req.idempotencyKey));
  });

  it('a share whose answer never comes is unknown; reconcile finds the post despite t.cn links, and a retry is not a duplicate', async () => {
    const weibo = adapter(300);
    fake.hangNext('/2/statuses/share.json', { process: true });
    const req = weiboRequest();
    expect((await failureOf(weibo.deliver(req))).failure).toBe('unknown');
    const count = fake.statuses.length;

    const found = await weibo.reconcile(req);
    expect(found?.remoteId).toBe(fake.statuses[0]!.idstr);
    // Even a blind retry does not post twice: Weibo says 20019 and the adapter answers with the earlier post.
    expect(await weibo.deliver(req)).toEqual(found);
    expect(fake.statuses.length).toBe(count);
  });

  it('a share that never reached Weibo is unknown; reconcile finds nothing, so sending again is safe', async () => {
    const weibo = adapter(300);
    fake.hangNext('/2/statuses/share.json', { process: false });
    const req = weiboRequest();
    expect((await failureOf(weibo.deliver(req))).failure).toBe('unknown');
    expect(await weibo.reconcile(req)).toBeNull();
    const count = fake.statuses.length;
    await weibo.deliver(req);
    expect(fake.statuses.length).toBe(count + 1);
  });

  it('retracts with statuses/destroy; a second retraction of a deleted post still succeeds; update is refused', async () => {
    const weibo = adapter();
    const published = await weibo.deliver(weiboRequest());
    const retract = weiboRequest({ action: 'retract', remote: { id: published.remoteId, url: published.remoteUrl } });
    await weibo.deliver(retract);
    expect(fake.statuses.some((s) => s.idstr === published.remoteId)).toBe(false);
    expect((await weibo.deliver(retract)).remoteId).toBe(published.remoteId);
    expect((await failureOf(weibo.deliver(weiboRequest({ action: 'update' })))).failure).toBe('rejected');
  });
});
