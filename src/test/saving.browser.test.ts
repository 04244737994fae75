import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, signIn, stepShot, useServerAndProfile, withFailureScreenshots } from './browser.ts';

/**
 * Saving in the item editor, in one Chromium: a reporter types, and clicks 提交 (twice, quickly) while
 * an autosave is still on its way. The click waits for it: no conflict dialog about her own text, one
 * 提交 dialog, and the history holds one revision per save she meant (创建, 改标题, 提交), none for
 * the autosaves. A cleared title is refused where she can see it, and an empty body asks first.
 */
const TITLE = '锦城湖湿地公园今天开园';

describeInBrowser(
  'saving in the item editor',
  () => {
    const env = useServerAndProfile();
    const shot = (name: string) => stepShot(env.page, `saving-${name}`);
    const status = () => env.page.getByTestId('save-status');

    const newItem = async (page: Page, title: string) => {
      await page.getByRole('menuitem', { name: '稿库' }).click();
      await page.getByTestId('new-item').click();
      await page.getByTestId('new-item-title').fill(title);
      await page.getByTestId('new-item-create').click();
      await page.getByTestId('body-editor').waitFor();
      return page.url().split('/hub/')[1]!;
    };
    const revisions = (page: Page, id: string) =>
      page.evaluate(async (itemId) => ((await (await fetch(`/api/items/${itemId}/revisions`)).json()) as { items: { number: number; note: string | null }[] }).items, id);

    it('提交 during an autosave waits for it: no conflict, one dialog, one revision per intentional save', { timeout: 300_000 }, async () => {
      const { server, page } = env;
      try {
        await signIn(page, 'qingyang_reporter', server.url);
        const id = await newItem(page, '锦城湖湿地公园开园');
        const conflicts: number[] = [];
        page.on('response', (res) => res.status() === 409 && conflicts.push(res.status()));

        // typing autosaves a working copy: the status line says so, the history does not grow
        await page.getByTestId('body-editor').click();
        await page.keyboard.type('锦城湖湿地公园今天上午正式开园，市民可以沿湖步行。');
        await page.locator('[data-testid="save-status"][data-state="autosaved"]').waitFor();
        expect(await status().textContent()).toMatch(/^已自动保存 .* · 点「保存」存为第 2 版$/);
        expect((await revisions(page, id)).map((r) => r.number)).toEqual([1]);

        // 保存 with a note: a numbered revision, and the status line names it
        await page.getByTestId('title-input').fill(TITLE);
        await page.getByTestId('save-button').click();
        await page.getByTestId('revision-note').fill('改标题');
        await page.getByTestId('save-confirm').click();
        await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
        expect(await status().textContent()).toBe('已保存为第 2 版：「改标题」');
        await shot('status-saved');

        // more typing; its autosave is held on the wire while 提交 is double-clicked
        let release: () => void = () => undefined;
        const held = new Promise<void>((resolve) => (release = resolve));
        await page.route(`**/api/items/${id}/working-copy`, async (route) => {
          if (route.request().method() === 'PUT') await held;
          await route.continue();
        });
        const autosaving = page.waitForRequest((req) => req.method() === 'PUT' && req.url().endsWith('/working-copy'));
        await page.getByTestId('body-editor').click();
        await page.keyboard.press('End');
        await page.keyboard.type('园内新增了三公里绿道。');
        await autosaving;
        expect(await status().getAttribute('data-state')).toBe('saving');
        await page.getByTestId('workflow-submit').dblclick();
        setTimeout(release, 1500);
        await page.getByTestId('action-confirm').waitFor();
        expect(await page.getByTestId('action-confirm').count()).toBe(1);
        expect(await page.getByTestId('conflict-dialog').count()).toBe(0);
        await page.getByTestId('action-confirm').click();
        await expect.poll(() => page.getByTestId('workflow-status').textContent()).toBe('已提交 · 待初审');
        await page.unroute(`**/api/items/${id}/working-copy`);

        expect(conflicts).toEqual([]);
        expect(await revisions(page, id)).toEqual([
          expect.objectContaining({ number: 3, note: '提交' }),
          expect.objectContaining({ number: 2, note: '改标题' }),
          expect.objectContaining({ number: 1, note: '创建' }),
        ]);
        const submitted = await page.evaluate(async (itemId) => (await (await fetch(`/api/items/${itemId}/workflow`)).json()) as { revision: number }, id);
        expect(submitted.revision).toBe(3);

        await page.getByTestId('history-button').click();
        const drawer = page.getByTestId('revision-drawer');
        await drawer.getByText('第 3 版').waitFor();
        expect(await drawer.locator('.ant-list-item').count()).toBe(3);
        await shot('history');
        await page.keyboard.press('Escape');
      } catch (err) {
        throw await withFailureScreenshots(err, 'saving', [page]);
      }
    });

    it('refuses a cleared title where the reporter sees it, and asks before submitting an empty body', { timeout: 300_000 }, async () => {
      const { page } = env;
      try {
        const id = await newItem(page, '青羊区社区食堂开张');
        await page.getByTestId('title-input').fill('');
        await page.getByTestId('title-error').waitFor();
        expect(await page.getByTestId('title-error').textContent()).toContain('标题不能为空');
        await shot('title-error');

        await page.getByTestId('save-button').click();
        await page.getByTestId('save-confirm').click();
        await page.getByText('标题不能为空，未保存').waitFor();
        await page.getByRole('button', { name: /取\s*消/ }).click();
        await page.getByTestId('workflow-submit').click();
        await page.getByText('标题不能为空，未保存').first().waitFor();
        expect(await page.getByTestId('action-confirm').count()).toBe(0);
        expect((await revisions(page, id)).map((r) => r.number)).toEqual([1]);

        // with a title again but no body: 提交 asks first, and 返回编辑 submits nothing
        await page.getByTestId('title-input').fill('青羊区社区食堂开张');
        await page.getByTestId('workflow-submit').click();
        await page.getByText('稿件还没有正文，仍要提交审核吗？').waitFor();
        await shot('empty-body');
        await page.getByRole('button', { name: '返回编辑' }).click();
        expect(await page.getByTestId('action-confirm').count()).toBe(0);
        expect(await page.getByTestId('workflow-status').textContent()).not.toContain('已提交');
      } catch (err) {
        throw await withFailureScreenshots(err, 'saving-title', [env.page]);
      }
    });
  },
);
