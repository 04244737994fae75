import { expect, it } from 'vitest';
import { describeInBrowser, signIn, useServerAndProfile, withFailureScreenshots } from './browser.ts';

/**
 * The built console (web/dist, `npm run build:web`) in a real Chromium against the real server:
 * sign in, switch the active unit, and read the alliance tree.
 */
describeInBrowser(
  'console in a browser',
  () => {
    const env = useServerAndProfile();

    it('signs in, switches unit and shows the alliance tree', { timeout: 180_000 }, async () => {
      const { server, page } = env;
      try {
        await signIn(page, 'multi', server.url);

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
        throw await withFailureScreenshots(err, 'console', [page]);
      }
    });
  },
);
