import { expect, it } from 'vitest';
import { describeInBrowser, openMenu, stepShot, useServerAndSessions, withFailureScreenshots } from '../../test/browser.ts';
import { ReaderClient } from '../../test/reader-client.ts';

/**
 * 读者与推送 in Chromium: a unit admin sees the prefecture tiles with the readers' counts, and the live
 * count of the segment being built changes as a condition is typed.
 */
describeInBrowser('reader statistics and the segment builder in a browser', () => {
  const suite = useServerAndSessions();
  const { session, pages } = suite;

  it('tiles by prefecture; the live count follows the conditions', { timeout: 180_000 }, async () => {
    const server = suite.server;
    let phone = 13600000000;
    for (const home of ['510104', '510104', '510105']) {
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
    try {
      const page = await session('jinjiang_admin');
      await openMenu(page, '读者与推送');
      await expect.poll(() => page.locator('[data-code="510100"] strong').textContent()).toBe('3');
      await stepShot(page, 'push-reader-stats');
      await page.getByRole('tab', { name: '精准推送' }).click();
      await expect.poll(() => page.getByTestId('live-count').textContent()).toContain('约 3 位读者');
      await page.getByLabel(/地区/).fill('510105');
      await expect.poll(() => page.getByTestId('live-count').textContent()).toContain('约 1 位读者');
      await stepShot(page, 'push-segment-builder');
    } catch (err) {
      throw await withFailureScreenshots(err, 'push', pages);
    }
  });
});
