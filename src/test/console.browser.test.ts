import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PASSWORD } from './fixtures.ts';
import { chromiumPath, startTestServer, type TestServer } from './harness.ts';

/**
 * The built console (web/dist, `npm run build:web`) in a real Chromium against the real server:
 * sign in, switch the active unit, and read the alliance tree.
 */
const executablePath = chromiumPath();
const consoleBuilt = fs.existsSync(path.resolve(import.meta.dirname, '../../web/dist/index.html'));

describe.skipIf(!executablePath || !consoleBuilt)(
  `console in a browser${!executablePath ? ' (skipped: no Chromium at /usr/bin/chromium; apt install chromium fonts-noto-cjk)' : !consoleBuilt ? ' (skipped: console not built; run npm run build:web)' : ''}`,
  () => {
    let server: TestServer;
    let profileDir: string;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      server = await startTestServer();
      profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-chromium-'));
      context = await chromium.launchPersistentContext(profileDir, {
        executablePath: executablePath!,
        headless: true,
        viewport: { width: 1440, height: 1000 },
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(15_000);
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await server?.close();
      if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
    });

    it('signs in, switches unit and shows the alliance tree', { timeout: 60_000 }, async () => {
      try {
        await page.goto(`${server.url}/`);
        await page.getByLabel('用户名').fill('multi');
        await page.getByLabel('密码').fill(FIXTURE_PASSWORD);
        await page.getByRole('button', { name: /登\s*录/ }).click();

        const header = page.getByTestId('console-header');
        const switcher = header.getByTestId('unit-switcher');
        const switchTo = async (label: string) => {
          await switcher.click();
          await page.locator('.ant-select-item-option', { hasText: label }).click();
          await switcher.getByText(label).waitFor();
        };
        // Sign-in lands on the user's first active membership by unit name (成华区 sorts before 锦江区),
        // so first go to 锦江区, then switch from there to 成华区.
        await switcher.getByText(/融媒体中心 · /).waitFor();
        if (!(await switcher.textContent())?.includes('锦江区融媒体中心')) await switchTo('锦江区融媒体中心 · 记者');
        expect(await header.textContent()).toContain('锦江区融媒体中心 · 记者');

        await switchTo('成华区融媒体中心 · 主编');
        expect(await header.textContent()).toContain('成华区融媒体中心');
        expect(await header.textContent()).not.toContain('锦江区融媒体中心');
        const session = await page.evaluate(async () => (await (await fetch('/api/session')).json()) as { role: string });
        expect(session.role).toBe('chief_editor');

        await page.getByRole('menuitem', { name: '联合体' }).click();
        const cityCount = page.getByTestId('city-count');
        await cityCount.waitFor();
        expect((await cityCount.textContent())?.trim()).toBe('21');

        const tree = page.getByTestId('alliance-tree');
        const chengdu = tree.locator('[data-unit="成都市"]');
        await chengdu.waitFor();
        expect(await tree.locator('[data-unit="锦江区融媒体中心"]').count()).toBe(0);
        await tree.locator('.ant-tree-treenode', { has: page.locator('[data-unit="成都市"]') }).locator('.ant-tree-switcher').click();
        await tree.locator('[data-unit="锦江区融媒体中心"]').waitFor();
        expect(await tree.textContent()).toContain('锦江区融媒体中心');
      } catch (err) {
        const shot = path.join(os.tmpdir(), `tianfu-console-failure-${Date.now()}.png`);
        await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
        throw new Error(`${(err as Error).message}\n(screenshot: ${shot})`, { cause: err });
      }
    });
  },
);
