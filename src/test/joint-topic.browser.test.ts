import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { confirmUntilClosed, describeInBrowser, ensureUnit, openMenu, stepShot, useServerAndSessions, withFailureScreenshots } from './browser.ts';

/**
 * 联合报道 in a real Chromium against the real server: the province (the propaganda department's
 * alliance admin) proposes a joint topic with three county centres, approves it and assigns each a
 * task; 锦江区, 青羊区 and 成华区 each accept, write a story and file it; the province's joint board,
 * open the whole time in its own browser session, fills up as the stories come in.
 */
const TOPIC = '川西林盘里的新春';
const TASK_NOTE = '每个区县写一篇本地林盘过年的稿件，800 字以内，配图两张。';
const counties = [
  { user: 'jinjiang_editor', unit: '锦江区融媒体中心', story: '锦江区：三圣花乡林盘迎新春', body: '三圣花乡的林盘里挂起了红灯笼，游客在竹林间喝茶赏梅。' },
  { user: 'qingyang_editor', unit: '青羊区融媒体中心', story: '青羊区：文殊坊里写春联', body: '青羊区的书法家在文殊坊为市民义写春联，队伍排到了巷口。' },
  { user: 'multi', unit: '成华区融媒体中心', story: '成华区：东郊记忆的新春市集', body: '成华区东郊记忆举办新春市集，老厂房里飘出了糖油果子的香味。' },
];

describeInBrowser(
  'joint topic in a browser',
  () => {
    // each person gets a browser context of their own (own cookies, own session), as on separate machines
    const { session, pages } = useServerAndSessions();

    const shot = (page: Page, name: string) => stepShot(page, `joint-${name}`, { fullPage: true });

    /** antd TreeSelect with search: type the unit's name, click its node. */
    const pickUnit = async (page: Page, select: Locator, name: string) => {
      // The filtered tree re-renders while the name is typed; on a busy machine a click can land on a
      // node that is being replaced, so a pick that did not take is tried again.
      const modal = page.locator('.ant-modal:visible');
      for (let attempt = 1; ; attempt++) {
        await select.click();
        await page.keyboard.type(name);
        await page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper', { hasText: name }).first().click({ timeout: 15_000 }).catch(() => undefined);
        // Close the dropdown by clicking the dialog's title: Escape would close the whole dialog
        // whenever the dropdown had already closed itself.
        await modal.locator('.ant-modal-title').click();
        await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' }).catch(() => undefined);
        const picked = await select.getByText(name).waitFor({ timeout: 5_000 }).then(() => true, () => false);
        if (picked) return;
        if (attempt === 4) throw new Error(`could not pick ${name} in the unit select`);
      }
    };

    it('the province creates a joint topic, three counties accept and file, and the joint board fills up', { timeout: 300_000 }, async () => {
      try {
        // ── the province proposes, approves and assigns ──
        const province = await session('admin');
        await openMenu(province, '选题');
        await province.getByTestId('joint-board-tab').click();
        await province.getByTestId('propose-topic').click();
        await province.getByTestId('propose-title').fill(TOPIC);
        await province.getByTestId('propose-angle').fill('从林盘里的年俗看川西乡村振兴');
        const units = province.getByTestId('propose-units');
        for (const c of counties) await pickUnit(province, units, c.unit);
        await province.getByTestId('propose-confirm').click();

        const card = province.locator('[data-testid="topic-card"]', { hasText: TOPIC });
        await province.locator('[data-testid="topic-column"][data-status="proposed"]').locator('[data-testid="topic-card"]', { hasText: TOPIC }).waitFor();
        await card.getByTestId('decide-topic').click();
        await province.getByTestId('decide-choice').waitFor();
        await province.getByTestId('decide-confirm').click();
        const approved = province.locator('[data-testid="topic-column"][data-status="approved"]').locator('[data-testid="topic-card"]', { hasText: TOPIC });
        await approved.waitFor();
        const progress = approved.getByTestId('topic-progress');
        expect(await progress.getAttribute('data-filed')).toBe('0');
        expect(await progress.getAttribute('data-partners')).toBe('3');

        await approved.click();
        await province.getByTestId('topic-view').waitFor();
        await province.getByTestId('topic-assign').click();
        // the topic's partner units are already chosen; the title defaults to the topic's
        for (const c of counties) await province.locator('.ant-modal').getByText(c.unit).waitFor();
        await province.getByTestId('assign-description').fill(TASK_NOTE);
        await province.getByTestId('assign-confirm').click();
        await expect.poll(() => province.getByTestId('topic-task-status').allTextContents()).toEqual(['待接单', '待接单', '待接单']);
        await shot(province, 'assigned');

        // back to the joint board, which stays open while the counties work
        await province.getByRole('button', { name: /选题/ }).first().click();
        await province.getByTestId('topic-board').waitFor();

        // ── each county accepts, writes and files ──
        for (const [n, c] of counties.entries()) {
          const page = await session(c.user);
          if (c.user === 'multi') await ensureUnit(page, '成华区融媒体中心 · 主编');
          await openMenu(page, '任务');
          await page.getByRole('tab', { name: '本单位' }).click();
          const row = page.locator('tr', { hasText: TOPIC });
          await row.getByTestId('task-accept').click();
          await expect.poll(() => row.getByTestId('task-status').textContent()).toBe('进行中');
          if (n === 0) await shot(page, 'task-inbox');

          await openMenu(page, '稿库');
          await page.getByTestId('new-item').click();
          await page.getByTestId('new-item-title').fill(c.story);
          await page.getByTestId('new-item-create').click();
          const editor = page.getByTestId('body-editor');
          await editor.waitFor();
          await editor.click();
          await page.keyboard.type(c.body);
          await page.getByTestId('save-button').click();
          // 保存 during an autosave still saves and closes the dialog
          await confirmUntilClosed(page.getByTestId('save-confirm'));
          await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();

          await openMenu(page, '任务');
          await page.getByRole('tab', { name: '本单位' }).click();
          await row.getByTestId('task-complete').click();
          await page.getByTestId('complete-item').click();
          await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: c.story }).click();
          await page.getByTestId('complete-confirm').click();
          await expect.poll(() => row.getByTestId('task-status').textContent()).toBe('已完成');
          await page.context().close();

          // the province's board fills up, without a reload
          const live = province.locator('[data-testid="topic-card"]', { hasText: TOPIC }).getByTestId('topic-progress');
          await expect.poll(() => live.getAttribute('data-filed'), { timeout: 45_000 }).toBe(String(n + 1));
          expect(await live.locator('[data-testid="topic-unit"][data-filed="true"]', { hasText: c.unit.replace(/融媒体中心$/, '') }).count()).toBe(1);
          if (n === 0) await shot(province, 'board-one-filed');
        }
        await shot(province, 'board-full');

        // the topic itself: every unit has filed, every task is done
        await province.locator('[data-testid="topic-card"]', { hasText: TOPIC }).click();
        await province.getByTestId('topic-view').waitFor();
        // each task done, by the person who took it
        await expect.poll(async () => (await province.getByTestId('topic-task-status').allTextContents()).sort()).toEqual(counties.map((c) => `已完成 · ${c.user}`).sort());
        const filed = await province.getByTestId('topic-item').allTextContents();
        expect(filed.sort()).toEqual(counties.map((c) => c.story).sort());
        expect(await province.getByTestId('topic-filed-progress').textContent()).toContain('3/3');
        await shot(province, 'topic-detail');
      } catch (err) {
        throw await withFailureScreenshots(err, 'joint', pages);
      }
    });
  },
);
