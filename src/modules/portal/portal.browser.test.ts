import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, openBrowser, type ChromiumBrowser } from '../../test/browser.ts';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import { seedDemoContent } from '../content/demo.ts';
import { publishDemoSite } from '../../test/demo-site.ts';

/**
 * The portal in Chromium, with the demo stories published through the real renditions: the home
 * page reads well on a phone and a desktop, the skip link is the first stop, every picture has alt
 * text. With TIANFU_DOCS_SCREENSHOTS=1 it refreshes docs/portal-home.png.
 */
const docs = path.resolve(import.meta.dirname, '../../../docs');

describe.skipIf(!chromiumPath())('portal in Chromium', () => {
  let server: TestServer;
  let chromium: ChromiumBrowser;
  beforeAll(async () => {
    server = await startTestServer();
    await seedDemoContent(server.services);
    expect(await publishDemoSite(server.db, server.services, 'http://localhost:3000')).toBeGreaterThan(10);
    chromium = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('the alliance home shows the demo stories with their pictures, accessibly, on desktop and phone', async () => {
    const page = await chromium.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/portal`);
    await page.getByRole('heading', { level: 1, name: '天府融媒' }).waitFor();
    await page.getByRole('main').waitFor();
    await page.getByRole('navigation', { name: '栏目' }).waitFor();
    expect(await page.getByRole('link', { name: /杜甫草堂举办周末诗歌诵读会/ }).count()).toBeGreaterThan(0);
    // Every picture loaded (public copies) and carries an alt attribute.
    const images = await page.locator('img').evaluateAll((imgs) => imgs.map((i) => ({ alt: i.getAttribute('alt'), src: (i as HTMLImageElement).src })));
    expect(images.length).toBeGreaterThan(2);
    for (const img of images) {
      expect(img.alt).not.toBeNull();
      const res = await fetch(img.src);
      expect(res.headers.get('content-type'), img.src).toMatch(/^image\//);
    }
    // Pictures below the fold load lazily: scroll through once so the full-page picture has them.
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 50));
      }
      window.scrollTo(0, 0);
    });
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 1));
    if (process.env.TIANFU_DOCS_SCREENSHOTS) await page.screenshot({ path: path.join(docs, 'portal-home.png'), fullPage: true });
    // Keyboard: the first Tab lands on the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到正文');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/portal`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('at phone size (390×844) the home shows 头条, 专题 and 栏目, and an article shows its picture once and shares without script', async () => {
    const page = await chromium.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/portal`);
    for (const name of ['头条', '最新', '专题']) await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
    expect(await page.locator('.section-block').count()).toBeGreaterThan(1);
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth - document.documentElement.clientWidth, headline: document.querySelector('.headline img')?.getBoundingClientRect().width ?? 0 }));
    expect(widths.doc).toBeLessThanOrEqual(0);
    expect(widths.headline).toBeGreaterThan(300);
    if (process.env.TIANFU_DOCS_SCREENSHOTS) await page.screenshot({ path: path.join(docs, 'portal-home-mobile.png') });

    await page.getByRole('link', { name: /杜甫草堂举办周末诗歌诵读会/ }).first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    // The cover spans the text column, and a picture is never shown twice in a row.
    const pics = await page.evaluate(() => {
      const story = document.querySelector('.story')!.getBoundingClientRect().width;
      const imgs = [...document.querySelectorAll<HTMLImageElement>('.story .cover img, .story .body img')];
      return { story, widths: imgs.map((i) => i.getBoundingClientRect().width), srcs: imgs.map((i) => new URL(i.src).pathname.split('/')[3]) };
    });
    for (const w of pics.widths) expect(w).toBeGreaterThanOrEqual(pics.story - 1);
    expect(pics.srcs.filter((id, i) => id === pics.srcs[i - 1])).toEqual([]);
    await page.getByText(/阅读 \d+/).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

    // With JavaScript off: 复制链接 shows the address, 微信 the QR code, 微博 is a link to Weibo's share page.
    const noJs = await chromium.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const bare = await noJs.newPage();
    await bare.goto(page.url());
    await bare.getByText('复制链接', { exact: true }).click();
    expect(await bare.getByLabel('本文链接').inputValue()).toMatch(/^http:\/\/localhost:3000\/portal\/\d{6}\/a\//);
    await bare.getByText('微信', { exact: true }).click();
    await bare.getByAltText('本文链接的二维码').waitFor();
    expect(await bare.getByAltText('本文链接的二维码').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 100)).toBe(true);
    expect(await bare.getByRole('link', { name: '微博' }).getAttribute('href')).toMatch(/^https:\/\/service\.weibo\.com\/share\/share\.php\?url=http/);
    if (process.env.TIANFU_DOCS_SCREENSHOTS) await bare.screenshot({ path: path.join(os.tmpdir(), 'portal-article-no-js.png') });
    await noJs.close();
  });

  it('an article page and the special topic open from the home page', async () => {
    const page = await chromium.newPage();
    await page.goto(`${server.url}/portal`);
    await page.getByRole('link', { name: /杜甫草堂举办周末诗歌诵读会/ }).first().click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/杜甫草堂举办周末诗歌诵读会/);
    expect(await page.locator('.story .body img').first().getAttribute('alt')).toMatch(/诵读会现场/);
    await page.goto(`${server.url}/portal/showcase`);
    await page.getByRole('heading', { name: '按市（州）浏览' }).waitFor();
    await page.getByRole('link', { name: /凉山彝族自治州/ }).click();
    await page.getByRole('link', { name: /火把节/ }).first().waitFor();
    if (process.env.TIANFU_DOCS_SCREENSHOTS) fs.mkdirSync(docs, { recursive: true });
  });
});
