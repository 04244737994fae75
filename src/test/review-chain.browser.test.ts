import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { confirmUntilClosed, describeInBrowser, openMenu, stepShot, useServerAndSessions, withFailureScreenshots } from './browser.ts';

/**
 * 三审三校 in a real Chromium against the real server: a 锦江区 reporter writes and submits a story;
 * the editor (初审), the chief editor (复审) and the unit's leader (终审, 签发) approve it in turn, each
 * in their own browser session, and the reporter sees it signed off and ready to publish; the leader
 * then publishes it from the same review page, choosing the channels, without going back to 稿库. A second
 * story is returned at 复审 with a comment; the reporter reads the comment, fixes the story and
 * resubmits it, and the editor sees exactly the fix as a diff.
 */
const STORY_A = { title: '锦江区春熙路商圈新春消费季启动', body: '锦江区今天启动新春消费季，春熙路商圈两百多家商户推出优惠活动。' };
const STORY_B = { title: '锦江区老旧小区加装电梯提速', body: '今年锦江区计划为六十个老旧小区加装电梯，目前已有二十台投入使用。' };
const RETURN_COMMENT = '第二句的数据请注明来源';
const FIX = '数据来源：锦江区住房和城乡建设局。';

describeInBrowser(
  'review chain in a browser',
  () => {
    // each person gets a browser context of their own (own cookies, own session), as on separate machines
    const env = useServerAndSessions();
    const { session, pages } = env;

    const shot = (page: Page, name: string) => stepShot(page, `review-${name}`, { fullPage: true });

    /** The reporter writes a story in the 稿库 and saves it as a revision. */
    const write = async (page: Page, story: { title: string; body: string }) => {
      await openMenu(page, '稿库');
      await page.getByTestId('new-item').click();
      await page.getByTestId('new-item-title').fill(story.title);
      await page.getByTestId('new-item-create').click();
      const editor = page.getByTestId('body-editor');
      await editor.waitFor();
      await editor.click();
      await page.keyboard.type(story.body);
      await page.getByTestId('save-button').click();
      await page.getByTestId('revision-note').fill('初稿');
      await page.getByTestId('save-confirm').click();
      await page.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
    };

    const submit = async (page: Page) => {
      await page.getByTestId('workflow-submit').click();
      await confirmUntilClosed(page.getByTestId('action-confirm'));
      await expect.poll(() => page.getByTestId('workflow-status').textContent()).toBe('已提交 · 待初审');
    };

    /** A reviewer opens the story from the 审核 queue. */
    const openFromQueue = async (page: Page, title: string) => {
      await openMenu(page, '审核');
      await page.getByTestId('queue-title').filter({ hasText: title }).click();
      await page.getByTestId('review-item').waitFor();
    };

    const decide = async (page: Page, button: string, comment?: string) => {
      await page.getByTestId(button).click();
      if (comment) await page.getByTestId('action-comment').fill(comment);
      await confirmUntilClosed(page.getByTestId('action-confirm'));
      await page.getByTestId('action-dialog').waitFor({ state: 'detached' });
    };

    it('three levels approve in turn, sign off and publish from the review page; a returned story is fixed and resubmitted', { timeout: 300_000 }, async () => {
      try {
        const reporter = await session('jinjiang_reporter');
        const editor = await session('jinjiang_editor');
        const chief = await session('jinjiang_chief');
        const leader = await session('jinjiang_admin');

        // ── story A through 初审, 复审, 终审 ──
        await write(reporter, STORY_A);
        const itemA = reporter.url().split('/hub/')[1]!;
        await submit(reporter);

        await openFromQueue(editor, STORY_A.title);
        // first review: the whole text, not a diff
        expect(await editor.getByTestId('review-fulltext').textContent()).toContain(STORY_A.body);
        expect(await editor.getByTestId('review-status').textContent()).toBe('已提交 · 待初审');
        await decide(editor, 'review-approve');
        await expect.poll(() => editor.getByTestId('review-status').textContent()).toBe('审核中 · 复审');

        await openFromQueue(chief, STORY_A.title);
        await decide(chief, 'review-approve');
        await expect.poll(() => chief.getByTestId('review-status').textContent()).toBe('审核中 · 终审');

        await openFromQueue(leader, STORY_A.title);
        const revision = (await leader.evaluate(async (id) => ((await (await fetch(`/api/items/${id}/workflow`)).json()) as { revision: number }).revision, itemA));
        await leader.getByTestId('review-signoff').click();
        // the sign-off dialog names the exact revision being signed off
        expect(await leader.getByTestId('signoff-revision').textContent()).toContain(`签发《${STORY_A.title}》第 ${revision} 版`);
        await shot(leader, 'signoff-dialog');
        await leader.getByTestId('action-confirm').click();
        await expect.poll(() => leader.getByTestId('review-status').textContent()).toBe('已签发 · 待发布');
        expect(await leader.getByTestId('review-no-action').textContent()).toContain(`第 ${revision} 版已签发`);
        await shot(leader, 'signed-off');

        // the reporter sees it signed off, ready to publish, and every step in the timeline
        await reporter.reload();
        await expect.poll(() => reporter.getByTestId('workflow-status').textContent()).toBe('已签发 · 待发布');
        const timeline = reporter.getByTestId('timeline');
        await expect.poll(() => timeline.getByTestId('timeline-entry').count()).toBe(4);
        const entries = await timeline.getByTestId('timeline-entry').allTextContents();
        // newest first
        expect(entries[0]).toContain('jinjiang_admin');
        expect(entries[0]).toContain('终审');
        expect(entries[0]).toContain('已签发');
        expect(entries[1]).toContain('jinjiang_chief');
        expect(entries[1]).toContain('复审');
        expect(entries[2]).toContain('jinjiang_editor');
        expect(entries[2]).toContain('初审');
        expect(entries[3]).toContain('jinjiang_reporter');
        expect(entries[3]).toContain('提交');
        // a reporter does not publish: no publish button for them
        expect(await reporter.getByTestId('workflow-publish').count()).toBe(0);
        await shot(reporter, 'reporter-signed-off');

        // ── 签发 → 发布 on the review page: the leader picks the unit's channels and publishes ──
        const leaderApi = await env.server.as('jinjiang_admin');
        expect((await leaderApi.post('/api/channels', { kind: 'portal', name: '锦江门户', autoSelect: true })).status).toBe(201);
        expect((await leaderApi.post('/api/channels', { kind: 'feed', name: '锦江订阅源', autoSelect: false })).status).toBe(201);
        await leader.getByTestId('review-publish').click();
        await leader.getByTestId('channel-picker').waitFor();
        // the default channel comes ticked; the leader adds the feed
        expect(await leader.getByTestId('channel-option-锦江门户').isChecked()).toBe(true);
        await leader.getByTestId('channel-option-锦江订阅源').click();
        await shot(leader, 'publish-dialog');
        await confirmUntilClosed(leader.getByTestId('action-confirm'));
        await expect.poll(() => leader.getByTestId('review-status').textContent()).toBe('已发布');
        expect(await leader.getByTestId('review-no-action').textContent()).toContain(`第 ${revision} 版已发布`);
        expect(await leader.getByTestId('review-publish').count()).toBe(0);
        const sent = await leaderApi.get(`/api/items/${itemA}/distribution`);
        expect(sent.body.channelIds).toHaveLength(2);
        await shot(leader, 'published');

        // ── story B: returned at 复审 with a comment, fixed, resubmitted ──
        await write(reporter, STORY_B);
        await submit(reporter);

        await openFromQueue(editor, STORY_B.title);
        await decide(editor, 'review-approve');

        await openMenu(chief, '审核');
        await chief.getByTestId('queue-title').filter({ hasText: STORY_B.title }).waitFor();
        await shot(chief, 'queue');
        await openFromQueue(chief, STORY_B.title);
        await decide(chief, 'review-return', RETURN_COMMENT);
        await expect.poll(() => chief.getByTestId('review-status').textContent()).toBe('草稿');

        // the reporter is told live (bell), opens the story from the notification and reads the comment
        const bell = reporter.getByTestId('notification-bell');
        await bell.click();
        const note = reporter.getByTestId('notification-item').filter({ hasText: `退回修改：${STORY_B.title}` });
        await note.waitFor();
        await note.click();
        await reporter.getByTestId('item-editor').waitFor();
        await expect.poll(() => reporter.getByTestId('workflow-status').textContent()).toBe('草稿');
        expect(await reporter.getByTestId('return-comment').textContent()).toBe(RETURN_COMMENT);
        expect(await reporter.getByTestId('return-notice').textContent()).toContain('jinjiang_chief');
        const returned = reporter.getByTestId('timeline').getByTestId('timeline-entry').first();
        await expect.poll(() => returned.textContent()).toContain(RETURN_COMMENT);
        expect(await returned.textContent()).toContain('退回修改');
        await shot(reporter, 'returned');

        // fix: add the source, save, resubmit
        const body = reporter.getByTestId('body-editor');
        await body.click();
        await reporter.keyboard.press('Control+End');
        await reporter.keyboard.type(FIX);
        await reporter.getByTestId('save-button').click();
        await reporter.getByTestId('revision-note').fill('注明数据来源');
        await reporter.getByTestId('save-confirm').click();
        await reporter.locator('[data-testid="save-status"][data-state="saved"]').waitFor();
        await submit(reporter);

        // back at 初审: the editor sees what changed since the approved revision
        await openFromQueue(editor, STORY_B.title);
        const diff = editor.getByTestId('review-diff');
        await diff.waitFor();
        expect(await diff.locator('ins').allTextContents()).toContain(FIX);
        expect(await editor.getByTestId('review-status').textContent()).toBe('已提交 · 待初审');
        await shot(editor, 'resubmitted-diff');
      } catch (err) {
        throw await withFailureScreenshots(err, 'review', pages);
      }
    });
  },
);
