import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { describeInBrowser, signIn, useServerAndProfile, withFailureScreenshots } from './browser.ts';

/**
 * The console and the API docs under their Content-Security-Policy in a real Chromium: every page
 * works with not one violation reported, and neither can be framed by another site.
 */
describeInBrowser('content security policy in a browser', () => {
  const env = useServerAndProfile();

  it('runs the console (pages, charts, editor, previews) and Swagger UI without a CSP violation, and refuses to be framed', { timeout: 300_000 }, async () => {
    const { server, page } = env;
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to (load|apply|execute|frame|connect)/i.test(msg.text())) violations.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => violations.push(`page error: ${err.message}`));
    // Reported by the browser itself, whatever reaches the console log or not.
    await page.context().addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const w = window as unknown as { __csp?: string[] };
        (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const reported = async () => (await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).map((v) => `${page.url()}: ${v}`);
    try {
      const item = await (await server.as('jinjiang_admin')).post('/api/items', {
        type: 'article',
        title: '内容安全策略测试稿',
        body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '锦江区今天发布消息。' }] }] },
      });
      expect(item.status, JSON.stringify(item.body)).toBe(201);

      await signIn(page, 'jinjiang_admin', server.url);
      const visit = async (path: string, ready: () => Promise<unknown>) => {
        await page.goto(`${server.url}${path}`);
        await page.getByTestId('console-header').waitFor();
        await ready();
        // Charts and lazily styled components finish after the first paint.
        await page.waitForTimeout(500);
        violations.push(...(await reported()));
      };
      await visit('/alliance', () => page.getByTestId('city-count').waitFor());
      await visit('/alliance', () => page.locator('canvas').first().waitFor());
      await visit('/hub', () => page.getByText('内容安全策略测试稿').first().waitFor());
      await visit(`/items/${item.body.id}`, () => page.locator('.ProseMirror').first().waitFor());
      await visit('/assets', () => page.locator('.ant-layout-content').waitFor());
      await visit('/channels', () => page.locator('.ant-layout-content').waitFor());
      await visit('/workflow-settings', () => page.locator('.ant-layout-content').waitFor());
      await visit('/screening', () => page.locator('.ant-layout-content').waitFor());
      await visit('/push', () => page.locator('.ant-layout-content').waitFor());
      await visit('/print', () => page.locator('.ant-layout-content').waitFor());
      await visit('/audit', () => page.locator('.ant-table').first().waitFor());
      // A modal and a dropdown: antd writes their styles when they first open.
      await page.getByTestId('unit-switcher').click();
      await page.locator('.ant-select-dropdown').first().waitFor();
      await page.keyboard.press('Escape');
      violations.push(...(await reported()));

      await page.goto(`${server.url}/api/docs`);
      await page.locator('.swagger-ui .info .title', { hasText: 'Tianfu' }).waitFor();
      await page.locator('.opblock').first().waitFor();
      await page.locator('.opblock-summary').first().click();
      await page.waitForTimeout(500);
      violations.push(...(await reported()));
      expect(violations).toEqual([]);

      // Another site (another origin) framing the console or the docs gets an error page, not them.
      const attacker = http.createServer((_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe src="${server.url}/hub"></iframe><iframe src="${server.url}/api/docs/"></iframe>`),
      );
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
      const framed = await page.context().newPage();
      try {
        await framed.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
        await framed.waitForTimeout(2000);
        const frames = framed.frames().slice(1);
        expect(frames).toHaveLength(2);
        for (const frame of frames) {
          expect(frame.url()).toMatch(/^chrome-error:/);
          expect(await frame.locator('#root, #swagger-ui').count()).toBe(0);
        }
      } finally {
        await framed.close();
        await new Promise<void>((resolve) => attacker.close(() => resolve()));
      }
    } catch (err) {
      throw await withFailureScreenshots(err, 'csp', [page]);
    }
  });
});
