import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { confirmUntilClosed, describeInBrowser, ensureUnit, openMenu, signIn, stepShot, useServerAndProfile, withFailureScreenshots } from './browser.ts';

/**
 * The content hub in a real Chromium against the real server: a 青羊区 editor writes a story with a
 * picture in the TipTap editor, saves it, finds it by a two-character word on the search page and
 * shares it with the alliance and reports it up (上报) to 成都市, where a second 上报 of the same revision is
 * refused in the dialog; once it is signed off a chief editor of 成华区 picks it up from the shared pool
 * and sees where it came from; 成都市 opens it from 汇聚 and reads the note that came with it.
 */
const TITLE = '青羊区蜀绣展开幕 市民体验针线功夫';
const BODY = '青羊区今天举办蜀绣作品展，市民在展厅里跟着老师学习刺绣针法。';
const WORD = '蜀绣';
const NOTE = '蜀绣展可供市级客户端采用';

describeInBrowser(
  'content hub in a browser',
  () => {
    const env = useServerAndProfile();

    const shot = (name: string) => stepShot(env.page, `content-${name}`);

    /** antd Select: open it, then click the option with this text. */
    const choose = async (select: ReturnType<Page['getByTestId']>, option: string) => {
      await select.click();
      await env.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).click();
    };

    it('writes a story with a picture, finds it, shares and reports it up, and other units adopt it or read the note', { timeout: 300_000 }, async () => {
      const { server, page } = env;
      try {
        await signIn(page, 'qingyang_editor', server.url);

        // 稿库 → 新建稿件
        await page.getByRole('menuitem', { name: '稿库' }).click();
        await page.getByTestId('new-item').click();
        await page.getByTestId('new-item-title').fill(TITLE);
        await page.getByTestId('new-item-create').click();
        const editor = page.getByTestId('body-editor');
        await editor.waitFor();
        await editor.click();
        await page.keyboard.type(BODY);
        await page.keyboard.press('Enter');

        // a picture: uploaded from the editor's picker into the asset library, then placed in the body
        const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c41d2f' } }).png().toBuffer();
        await page.getByTestId('insert-image').click();
        await page.getByTestId('upload-caption').fill('蜀绣作品');
        await page.locator('.ant-modal input[type=file]').setInputFiles({ name: 'shuxiu.png', mimeType: 'image/png', buffer: png });
        const figure = editor.locator('figure[data-asset-id]');
        await figure.waitFor();
        expect(await figure.textContent()).toContain('蜀绣作品');
        await shot('editor');

        // 保存 with a revision note
        await page.getByTestId('save-button').click();
        await page.getByTestId('revision-note').fill('初稿');
        await confirmUntilClosed(page.getByTestId('save-confirm'));
        await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
        const itemId = page.url().split('/hub/')[1]!;
        const saved = await page.evaluate(async (id) => (await (await fetch(`/api/items/${id}`)).json()) as { body: { content: { type: string; attrs?: { assetId?: string } }[] } }, itemId);
        const image = saved.body.content.find((n) => n.type === 'image');
        expect(image?.attrs?.assetId).toMatch(/^[0-9a-f-]{36}$/);

        // 搜索 by a two-character word of the body
        await page.getByRole('menuitem', { name: '搜索' }).click();
        await page.getByTestId('search-input').locator('input').fill(WORD);
        await page.keyboard.press('Enter');
        const hit = page.getByTestId('search-hit').filter({ hasText: TITLE });
        await hit.waitFor();
        expect(await hit.locator('mark').first().textContent()).toBe(WORD);
        await shot('search');

        // open it from the results and share it with the whole alliance
        await hit.getByText(TITLE).click();
        await page.getByTestId('item-editor').waitFor();
        await choose(page.getByTestId('share-scope'), '全联合体');
        await page.getByText('共享范围已更新').waitFor();
        // sharing is about the alliance, not about readers: the panel says so
        expect(await page.getByTestId('share-help').textContent()).toContain('不影响发布后读者能否阅读');

        // 上报: the dialog names the unit it goes to; the same revision a second time is refused, naming it
        await page.getByTestId('relay-up-button').click();
        await expect.poll(() => page.locator('.ant-modal-title').textContent()).toBe('上报给成都市');
        await page.getByTestId('relay-note-input').fill(NOTE);
        await confirmUntilClosed(page.getByTestId('relay-confirm'));
        await page.getByText('已上报给成都市').waitFor();
        await page.getByTestId('relay-up-button').click();
        await page.getByTestId('relay-confirm').click();
        const refused = page.getByTestId('relay-error');
        await refused.waitFor();
        expect(await refused.textContent()).toContain('已上报给成都市');
        await shot('relay-refused');
        await page.getByRole('button', { name: /取\s*消/ }).click();

        // the shared pool offers it only once signed off: 青羊区 runs a two-level chain, through the API
        const [author, chief, leader] = await Promise.all(['qingyang_editor', 'qingyang_chief', 'qingyang_admin'].map((u) => server.as(u)));
        const levels = [
          { name: '初审', roles: ['chief_editor', 'unit_admin'] },
          { name: '终审', roles: ['unit_admin'] },
        ];
        expect((await leader.put('/api/review/policy', { levels, editReturnsTo: 'first' })).status).toBe(200);
        for (const [by, action] of [[author, 'submit'], [chief, 'approve'], [leader, 'approve']] as const) {
          expect((await by.post(`/api/items/${itemId}/workflow/${action}`, {})).status).toBe(200);
        }

        await page.getByRole('button', { name: /退\s*出/ }).click();

        // 成华区 chief editor: 共享稿池 → 采用
        await signIn(page, 'multi');
        await ensureUnit(page, '成华区融媒体中心 · 主编');
        await page.getByRole('menuitem', { name: '共享稿池' }).click();
        const row = page.locator('tr', { hasText: TITLE });
        await row.waitFor();
        await shot('shared-pool');
        await row.getByTestId('adopt').click();

        const provenance = page.getByTestId('provenance');
        await provenance.waitFor();
        expect(await provenance.textContent()).toContain('采用自 青羊区融媒体中心');
        expect(page.url()).toContain('/hub/');
        expect(page.url()).not.toContain(itemId);
        // the picture travels with the copy
        const copyImage = page.getByTestId('body-editor').locator('figure[data-asset-id] img');
        await copyImage.waitFor();
        await expect.poll(() => copyImage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
        await shot('picked-up');

        // 成都市: 汇聚 → 查看 stays under 汇聚 and shows the note the story came with
        await page.getByRole('button', { name: /退\s*出/ }).click();
        await signIn(page, 'chengdu_admin');
        await openMenu(page, '汇聚');
        const relayed = page.locator('tr', { hasText: TITLE });
        await relayed.waitFor();
        expect(await relayed.textContent()).toContain(NOTE);
        await relayed.getByTestId('relay-view').click();
        await page.getByTestId('item-editor').waitFor();
        expect(page.url()).toContain(`/incoming/${itemId}`);
        expect(await page.locator('.ant-menu-item-selected').textContent()).toContain('汇聚');
        const note = page.getByTestId('relay-note');
        await note.waitFor();
        expect(await note.textContent()).toContain('青羊区融媒体中心 · qingyang_editor');
        expect(await note.textContent()).toContain(`附言：${NOTE}`);
        await shot('relay-opened');
      } catch (err) {
        throw await withFailureScreenshots(err, 'content', [page]);
      }
    });
  },
);
