import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, openMenu, stepShot, useServerAndSessions, withFailureScreenshots } from '../../test/browser.ts';
import { ReaderClient } from '../../test/reader-client.ts';

/**
 * 读者与推送 in Chromium: a unit admin sees the prefecture tiles with the readers' counts; in 精准推送 the
 * region is picked by name from the division tree (the segment keeps codes), the live count follows it,
 * the story is found by searching its title, and a push to nobody asks first.
 */
describeInBrowser('reader statistics and the push composer in a browser', () => {
  const suite = useServerAndSessions();
  const { session, pages } = suite;

  /** Types into a picker and chooses the entry with exactly this text from its drop-down. */
  async function pick(page: Page, label: RegExp, typed: string, entry: string, entryClass: string, shot?: string) {
    await page.getByLabel(label).fill(typed);
    const found = page.locator(entryClass, { hasText: new RegExp(`^${entry}$`) }).first();
    await found.waitFor();
    if (shot) await stepShot(page, shot);
    await found.click();
    await page.keyboard.press('Escape');
  }
  const pickRegion = (page: Page, typed: string, county: string, shot?: string) => pick(page, /^地区/, typed, county, '.ant-select-tree-title', shot);
  const campaigns = () => suite.server.db.selectFrom('push_campaigns').select(['title', 'definition', 'item_id']).orderBy('created_at').execute();

  it('tiles by prefecture; regions by name, stories by search, a push to 0 readers is confirmed', { timeout: 180_000 }, async () => {
    const server = suite.server;
    let phone = 13600000000;
    // Two readers at home in 锦江区, one in 大邑县: all three are readers of 锦江 (registered there).
    for (const home of ['510104', '510104', '510129']) {
      const c = new ReaderClient(server.url);
      const p = String(++phone);
      await c.post('/api/reader/code', { channel: 'phone', destination: p });
      await c.post('/api/reader/signup', {
        channel: 'phone', destination: p, code: server.services.consoleCodes.lastCodeFor(`+86${p}`), unit: '510104', homeDivision: home,
        consents: [{ purpose: 'push', granted: true }], consentVersion: 'v1',
      });
      const endpoint = `https://push.example.com/push/${p}`;
      const keys = { p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url'), auth: Buffer.alloc(16, 3).toString('base64url') };
      expect((await c.post('/api/reader/push/registrations', { kind: 'webpush', endpoint, keys })).status).toBe(201);
    }
    // A story of 锦江's hub, published on its portal (the site store row as the portal channel writes it), and a draft.
    const editor = await server.as('jinjiang_editor');
    const lantern = await editor.post('/api/items', { type: 'article', title: '东大街灯会今晚开幕', summary: '三百组彩灯点亮锦江。' });
    const draft = await editor.post('/api/items', { type: 'article', title: '灯会交通管制草稿', summary: '灯会期间东大街交通管制。' });
    expect([lantern.status, draft.status]).toEqual([201, 201]);
    await server.db.updateTable('content_items').set({ status: 'published' }).where('id', '=', lantern.body.id).execute();
    const unit = await server.db.selectFrom('units').select('id').where('division_code', '=', '510104').executeTakeFirstOrThrow();
    await sql`insert into site_items (channel_id, item_id, kind, site_unit_id, site_unit_slug, unit_id, unit_name, unit_slug, item_type, title, link, canonical_url, revision, published_at, idempotency_key)
      values (${crypto.randomUUID()}, ${lantern.body.id}, 'portal', ${unit.id}, '510104', ${unit.id}, '锦江区融媒体中心', '510104', 'article', '东大街灯会今晚开幕',
        'http://x/portal/510104/a/1', 'http://x/portal/510104/a/1', 1, now(), ${crypto.randomUUID()})`.execute(server.db);

    try {
      const page = await session('jinjiang_admin');
      await page.setViewportSize({ width: 1280, height: 900 });
      await openMenu(page, '读者与推送');
      await expect.poll(() => page.locator('[data-code="510100"] strong').textContent()).toBe('3');
      await stepShot(page, 'push-reader-stats');
      await page.getByRole('tab', { name: '精准推送' }).click();
      await expect.poll(() => page.getByTestId('live-count').textContent()).toContain('约 3 位读者');

      // A name, not a code: the tree finds 大邑县 under 成都市, and the count follows.
      await pickRegion(page, '大邑', '大邑县', 'push-region-by-name');
      await expect.poll(() => page.getByTestId('live-count').textContent()).toBe('约 1 位读者');
      await expect.poll(() => page.locator('.ant-select-selection-item', { hasText: '成都市大邑县' }).count()).toBe(1);

      // The story by a word of its title: the published one is offered, the draft is not.
      await page.getByLabel(/^链接稿件/).fill('灯会');
      await page.locator('.ant-select-item-option', { hasText: '东大街灯会今晚开幕' }).waitFor();
      await stepShot(page, 'push-story-by-search');
      expect(await page.locator('.ant-select-item-option', { hasText: '灯会交通管制草稿' }).count()).toBe(0);
      await page.locator('.ant-select-item-option', { hasText: '东大街灯会今晚开幕' }).click();
      await page.getByLabel('标题').fill('东大街灯会今晚开幕');
      await page.getByLabel('正文').fill('三百组彩灯点亮锦江，快来看看。');
      await stepShot(page, 'push-composer-ready', { fullPage: true });
      await page.getByRole('button', { name: /^发\s?送$/ }).click();
      await page.locator('.ant-message', { hasText: '已开始推送给约 1 位读者' }).waitFor();
      expect(await campaigns()).toEqual([{ title: '东大街灯会今晚开幕', definition: { regions: ['510129'] }, item_id: lantern.body.id }]);

      // 彭州市 has none of these readers: the count says 0 and sending asks first.
      await page.locator('.ant-select-selection-item', { hasText: '成都市大邑县' }).locator('.ant-select-selection-item-remove').click();
      await pickRegion(page, '彭州', '彭州市');
      await expect.poll(() => page.getByTestId('live-count').textContent()).toBe('约 0 位读者');
      await page.getByLabel(/^链接稿件/).fill('东大街');
      await page.locator('.ant-select-item-option', { hasText: '东大街灯会今晚开幕' }).click();
      await page.getByLabel('标题').fill('彭州灯会');
      await page.getByLabel('正文').fill('彭州也有灯会。');
      await page.getByRole('button', { name: /^发\s?送$/ }).click();
      const dialog = page.getByRole('dialog').filter({ hasText: '没有读者会收到这条推送' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('目标人数为 0');
      await stepShot(page, 'push-zero-readers-confirm');
      await dialog.getByRole('button', { name: '返回修改' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await campaigns()).toHaveLength(1);

      await page.getByRole('button', { name: /^发\s?送$/ }).click();
      await dialog.getByRole('button', { name: '仍然发送' }).click();
      await page.locator('.ant-message', { hasText: '已开始推送给约 0 位读者' }).waitFor();
      expect((await campaigns()).map((c) => c.definition)).toEqual([{ regions: ['510129'] }, { regions: ['510182'] }]);
    } catch (err) {
      throw await withFailureScreenshots(err, 'push', pages);
    }
  });
});
