import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { describeInBrowser, openMenu, stepShot, useServerAndSessions, withFailureScreenshots } from '../../test/browser.ts';
import { ApiClient } from '../../test/harness.ts';
import { siteAdapters } from '../portal/site.adapters.ts';
import { channel, deliver, source, unitByCode } from '../../test/site-store.ts';

/**
 * 推荐预览 in Chromium: an editor of 锦江 looks at the feed a test device sees, reason by reason, then pins
 * a story at a must-show slot and sees it land there.
 */
describeInBrowser('the feed preview in the console', () => {
  const suite = useServerAndSessions();
  const { session, pages } = suite;

  it('shows a test device’s feed with its reasons; a pin lands in its slot', { timeout: 180_000 }, async () => {
    const server = suite.server;
    const adapters = siteAdapters(server.db);
    const unit = await unitByCode(server.db, '510104');
    const publish = async (title: string, text: string, category: string, hours: number) => {
      const s = source({ unit, title, paragraphs: [text], category, publishedAt: new Date(Date.now() - hours * 3_600_000).toISOString() });
      await deliver(adapters, channel('portal', unit.id), s);
      return s.itemId;
    };
    const read = await publish('锦江夜游线路上新', '锦江夜游新增三条游船线路，游客可以在九眼桥登船夜游锦江。', '文旅', 10);
    await publish('锦江夜游游船延长运营', '锦江夜游游船延长运营时间，夜游锦江的游客可以坐到晚上十一点。', '文旅', 8);
    const filler = [];
    for (let i = 1; i <= 4; i++) filler.push(await publish(`社区食堂第${i}家开业`, `社区食堂第${i}家开业，老人用餐有优惠。`, '民生', i));
    const device = 'preview-test-device-01';
    const events = [{ id: crypto.randomBytes(12).toString('base64url'), type: 'read', at: new Date().toISOString(), item: read, unit: '510104', depth: 1, dwellMs: 90_000 }];
    expect((await new ApiClient(server.url).request('POST', '/api/reader/events', { device, events }, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120' })).status).toBe(202);
    await server.services.readerEvents.buffer.flush();
    await server.services.recommend.catchUp();

    try {
      const page = await session('jinjiang_editor');
      await openMenu(page, '推荐预览');
      await page.getByLabel('单位代码').fill('510104');
      await page.getByLabel('测试设备编号').fill(device);
      await page.getByRole('button', { name: /^查\s*看$/ }).click();
      const rows = page.locator('.ant-table-tbody').first().locator('tr.ant-table-row');
      await expect.poll(() => rows.first().textContent()).toContain('锦江夜游游船延长运营');
      expect(await rows.first().textContent()).toContain('因为你读过《锦江夜游线路上新》');
      // What the device read is never offered again.
      expect(await rows.locator('td:nth-child(2)').allTextContents()).not.toContain('锦江夜游线路上新');

      await page.getByLabel('稿件编号').fill(filler[3]!);
      await page.getByLabel('必显位置').fill('1');
      await page.getByRole('button', { name: /^置\s*顶$/ }).click();
      await page.getByRole('button', { name: /^查\s*看$/ }).click();
      await expect.poll(() => rows.first().textContent()).toContain('社区食堂第4家开业');
      expect(await rows.first().textContent()).toContain('编辑推荐');
      await stepShot(page, 'recommend-feed-preview');
    } catch (err) {
      throw await withFailureScreenshots(err, 'feed-preview', pages);
    }
  });
});
