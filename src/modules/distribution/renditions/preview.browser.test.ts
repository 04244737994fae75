import { expect, it } from 'vitest';
import { describeInBrowser, stepShot, useServerAndSessions, withFailureScreenshots } from '../../../test/browser.ts';
import { docFromText } from '../../content/doc.ts';
import { AI_LABEL_TEXT } from './labels.ts';

/**
 * 渠道预览 in Chromium: a 锦江区 editor opens an AI-assisted story and sees it as each channel will show
 * it: the WeChat phone frame with the inline-styled body, the Weibo post with its counter, the app
 * card and the print page, with the notes on what the length rules changed.
 */
const TITLE = '成都市锦江区在春熙路举办二〇二六年冬季文旅消费季启动仪式，推出涵盖美食、非遗、夜游和演艺的百项活动，惠及广大市民游客，并向市民发放一千万元文旅消费券';

describeInBrowser('channel preview in a browser', () => {
  // `server` is a getter filled in by beforeAll: read it inside the test.
  const suite = useServerAndSessions();
  const { session, pages } = suite;

  it('shows each channel’s rendition of the latest revision, flagged as not signed off', async () => {
    try {
      const server = suite.server;
      const editor = await server.as('jinjiang_editor');
      const created = await editor.post('/api/items', {
        type: 'article',
        title: TITLE,
        summary: '百项活动惠及市民游客。',
        body: docFromText('锦江区今天启动冬季文旅消费季。\n春熙路将举办非遗夜市。'),
        aiAssisted: true,
      });
      expect(created.status).toBe(201);
      const page = await session('jinjiang_editor');
      await page.goto(`${server.url}/items/${created.body.id}`);
      await page.getByTestId('renditions-button').click();
      await expect.poll(() => page.getByTestId('renditions-status').textContent()).toContain('尚未签发');

      const wechat = page.getByTestId('rendition-wechat');
      await expect.poll(() => wechat.getByTestId('wechat-phone').textContent()).toContain('春熙路将举办非遗夜市。');
      expect(await wechat.getByTestId('wechat-phone').textContent()).toContain(AI_LABEL_TEXT);
      expect(await wechat.getByTestId('rendition-notes').textContent()).toContain('标题超过微信公众号上限 64 字');
      // The body keeps its inline styles when shown.
      const style = await wechat.locator('[data-testid="wechat-phone"] section[style] p').first().getAttribute('style');
      expect(style).toContain('margin');
      await stepShot(page, 'renditions-wechat', { fullPage: true });

      await page.getByTestId('renditions-tab-weibo').click();
      const weibo = page.getByTestId('rendition-weibo');
      await expect.poll(() => weibo.getByTestId('weibo-text').textContent()).toContain(`/portal/510104/a/${created.body.id}`);
      expect(await weibo.getByTestId('rendition-counter').textContent()).toMatch(/^\d+ \/ 2000$/);

      await page.getByTestId('renditions-tab-app').click();
      await expect.poll(() => page.getByTestId('rendition-app').getByTestId('app-card').textContent()).toContain('百项活动惠及市民游客。');

      await page.getByTestId('renditions-tab-print').click();
      await expect.poll(() => page.getByTestId('rendition-print').getByTestId('print-page').textContent()).toContain('锦江区今天启动冬季文旅消费季。');
      await stepShot(page, 'renditions-print', { fullPage: true });
    } catch (err) {
      throw await withFailureScreenshots(err, 'renditions', pages);
    }
  }, 180_000);
});
