import { expect, it } from 'vitest';
import { OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import { describeInBrowser, openMenu, stepShot, useServerAndSessions, withFailureScreenshots } from '../../test/browser.ts';
import { ApiClient } from '../../test/harness.ts';
import { docFromText } from '../content/doc.ts';
import { WechatFake } from '../../test/fakes/wechat.fake.ts';
import { webhookAdapter } from './adapters/webhook.ts';
import { createWechatAdapter } from './adapters/wechat.ts';
import { WebhookReceiver } from '../../test/webhook-receiver.ts';

/**
 * 多元传播 in Chromium: the unit admin adds a signed webhook channel on the 渠道 page (the secret is
 * write-only); the chief editor publishes a signed-off story, choosing the portal, the feed, a WeChat
 * Official Account (a local fake that speaks WeChat's API) and the webhook in the publish dialog; the
 * item's 渠道投递 panel shows all four delivered; the portal, the feed and the account show the story; a
 * retraction takes it off the account and the feed, reaches the webhook, and the portal shows the note.
 */
const SECRET = 'browser-test-signing-secret-1';
const TITLE = '锦江区开通社区夜间托管服务';

describeInBrowser(
  'distribution in a browser',
  () => {
    const suite = useServerAndSessions();
    const { session, pages } = suite;

    it('channels page, channel picker when publishing, per-channel status, retraction on the portal', { timeout: 300_000 }, async () => {
      const server = suite.server;
      const receiver = await new WebhookReceiver(() => SECRET).start();
      const wechat = await new WechatFake().start();
      try {
        // The fakes listen on 127.0.0.1, which production's outbound guard refuses.
        const http = new OutboundHttpClient({ allowPrivate: true });
        server.services.distribution.channels.adapters.register(webhookAdapter(http));
        server.services.distribution.channels.adapters.register(createWechatAdapter({ http, pollIntervalMs: 100 }));
        // a permanent cover image already in the account's material library, for stories without a cover
        wechat.materials.set('COVER', Buffer.from('cover'));
        const api = async (username: string) => {
          const c = new ApiClient(server.url);
          await c.login(username);
          return c;
        };
        const [leaderApi, reporterApi, chiefApi] = await Promise.all(['jinjiang_admin', 'jinjiang_reporter', 'jinjiang_chief'].map(api));
        await leaderApi.put('/api/review/policy', { levels: [{ name: '终审', roles: ['chief_editor'] }], editReturnsTo: 'first' });
        expect((await leaderApi.post('/api/channels', { kind: 'portal', name: '锦江门户', autoSelect: true })).status).toBe(201);
        expect((await leaderApi.post('/api/channels', { kind: 'feed', name: '锦江订阅源', autoSelect: true })).status).toBe(201);
        const wechatChannel = await leaderApi.post('/api/channels', {
          kind: 'wechat',
          name: '锦江发布公众号',
          config: { appId: wechat.appId, apiBase: wechat.base, defaultThumbMediaId: 'MEDIA_COVER' },
          secrets: { appSecret: wechat.appSecret },
          autoSelect: true,
        });
        expect(wechatChannel.status, JSON.stringify(wechatChannel.body)).toBe(201);

        // ── the unit admin adds the webhook on the 渠道 page ──
        const leader = await session('jinjiang_admin');
        await openMenu(leader, '渠道');
        await leader.getByTestId('channel-add').click();
        await leader.getByTestId('channel-kind').click();
        await leader.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '自建系统接口' }).click();
        await leader.getByTestId('channel-name').fill('区融媒推送');
        await leader.getByTestId('channel-config-url').fill(`${receiver.base}/hook`);
        await leader.getByTestId('channel-secret-signingSecret').fill(SECRET);
        await leader.getByTestId('channel-save').click();
        await leader.getByTestId('channel-row-区融媒推送').waitFor();
        expect(await leader.getByTestId('channels-page').textContent()).toContain('签名密钥 已设置');
        expect(await leader.content()).not.toContain(SECRET);
        await stepShot(leader, 'distribution-channels', { fullPage: true });

        // ── a signed-off story, published by the chief editor with the channel picker ──
        const created = await reporterApi.post('/api/items', { type: 'article', title: TITLE, body: docFromText(`${TITLE}。双职工家庭的孩子放学后可在社区托管到晚上八点。`) });
        const id = created.body.id as string;
        await reporterApi.post(`/api/items/${id}/workflow/submit`, {});
        expect((await chiefApi.post(`/api/items/${id}/workflow/approve`, {})).body.status).toBe('signed_off');

        const chief = await session('jinjiang_chief');
        await chief.goto(`${server.url}/hub/${id}`);
        await chief.getByTestId('workflow-publish').click();
        const picker = chief.getByTestId('channel-picker');
        await picker.waitFor();
        // all four are chosen by default; the choice is visible and can be changed
        await expect.poll(() => picker.locator('input[type=checkbox]:checked').count()).toBe(4);
        await stepShot(chief, 'distribution-publish-dialog');
        await chief.getByTestId('action-confirm').click();
        await expect.poll(() => chief.getByTestId('workflow-status').getAttribute('data-status')).toBe('published');

        await server.services.distribution.worker.drain();
        expect(receiver.byEvent('publish').map((p) => p.body.itemId)).toEqual([id]);
        await chief.getByTestId('distribution-tab').click();
        await chief.getByTestId('distribution-refresh').click();
        await expect.poll(() => chief.locator('[data-testid="delivery-status"][data-status="delivered"]').count()).toBe(4);
        expect(wechat.published.map((p) => p.article.title)).toEqual([TITLE]);
        expect(await (await fetch(`${server.url}/feeds/510104/rss.xml`)).text()).toContain(TITLE);
        await stepShot(chief, 'distribution-status', { fullPage: true });

        // ── the reader's side ──
        const reader = pages[0]!.context().browser()!;
        const portal = await (await reader.newContext()).newPage();
        await portal.goto(`${server.url}/portal/510104/a/${id}`);
        await portal.getByRole('heading', { name: TITLE }).waitFor();

        // ── retraction ──
        await chief.getByTestId('workflow-retract').click();
        await chief.getByTestId('action-comment').fill('托管时间有误，撤稿核实');
        await chief.getByTestId('action-confirm').click();
        await expect.poll(() => chief.getByTestId('workflow-status').getAttribute('data-status')).toBe('retracted');
        await server.services.distribution.worker.drain();
        expect(receiver.byEvent('retract').map((p) => p.body.retractionNote)).toEqual(['托管时间有误，撤稿核实']);
        expect(wechat.published).toEqual([]);
        expect(await (await fetch(`${server.url}/feeds/510104/rss.xml`)).text()).not.toContain(TITLE);
        await portal.reload();
        await portal.getByText('本文已撤回').first().waitFor();
        expect(await portal.content()).toContain('托管时间有误，撤稿核实');
        await portal.context().close();
      } catch (err) {
        throw await withFailureScreenshots(err, 'distribution', pages);
      } finally {
        await receiver.close();
        await wechat.close();
      }
    });
  },
);
