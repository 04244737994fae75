import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, openBrowser, type ChromiumBrowser } from '../../test/browser.ts';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import { siteAdapters } from '../portal/site.adapters.ts';
import { channel, deliver, source, unitByCode } from '../../test/site-store.ts';

let server: TestServer;
let itemId: string;

beforeAll(async () => {
  server = await startTestServer();
  const jinjiang = await unitByCode(server.db, '510104');
  const src = source({ unit: jinjiang, title: '锦江区社区食堂上新', paragraphs: Array.from({ length: 40 }, (_, i) => `第 ${i + 1} 段：社区食堂的新菜单与服务时间。`) });
  itemId = src.itemId;
  await deliver(siteAdapters(server.db), channel('portal', jinjiang.id), src);
});
afterAll(() => server.close());

describe('the reader tracker', () => {
  it('is plain JavaScript under 5 KB, cached with an ETag', async () => {
    const res = await fetch(`${server.url}/reader/tracker.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/javascript');
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBeLessThan(5 * 1024);
    expect(text).toContain('sendBeacon');
    const again = await fetch(`${server.url}/reader/tracker.js`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('is included by portal pages, with the unit and the story, and the page policy lets it run and report', async () => {
    const res = await fetch(`${server.url}/portal/510104/a/${itemId}`);
    const html = await res.text();
    expect(html).toContain(`<script src="/reader/tracker.js" defer data-unit="510104" data-item="${itemId}"></script>`);
    expect(html).toContain('data-tf-article');
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'.*connect-src 'self'/);
    const home = await (await fetch(`${server.url}/portal/510104`)).text();
    expect(home).toContain('<script src="/reader/tracker.js" defer data-unit="510104"></script>');
  });
});

describe.skipIf(!chromiumPath())('the reader tracker in Chromium', () => {
  let chromium: ChromiumBrowser;
  beforeAll(async () => {
    chromium = await openBrowser();
  }, 120_000);
  afterAll(() => chromium?.close());

  it('reports a view on load, then read depth and dwell and a share when the reader leaves', async () => {
    const page = await chromium.newPage();
    await page.setViewportSize({ width: 390, height: 700 });
    await page.goto(`${server.url}/portal/510104/a/${itemId}`);
    await page.waitForFunction(() => !!(window as unknown as { tianfuTracker?: unknown }).tianfuTracker);
    const device = await page.evaluate(() => localStorage.getItem('tf_device'));
    expect(device).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Scroll half-way through the story, share it, then leave the page (pagehide sends the batch).
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    await page.evaluate(() => (window as unknown as { tianfuTracker: { track(t: string, f: object): void } }).tianfuTracker.track('share', { target: 'wechat' }));
    await page.waitForTimeout(300);
    await page.goto('about:blank');
    const events = async () => {
      await server.services.readerEvents.flushBefore();
      return server.db.selectFrom('reader_events').select(['type', 'item_id', 'depth', 'dwell_ms', 'target']).where('device_id', '=', device).execute();
    };
    await expect.poll(async () => (await events()).map((e) => e.type).sort(), { timeout: 15_000 }).toEqual(['read', 'share', 'view']);
    const read = (await events()).find((e) => e.type === 'read')!;
    expect(read.item_id).toBe(itemId);
    expect(read.depth).toBeGreaterThan(0.2);
    expect(read.depth).toBeLessThanOrEqual(1);
    expect(read.dwell_ms).toBeGreaterThan(0);
  });
});
