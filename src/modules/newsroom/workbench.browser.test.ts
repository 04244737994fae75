import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeInBrowser, ensureUnit, signIn, stepShot, useServerAndSessions, withFailureScreenshots } from '../../test/browser.ts';
import type { ApiClient } from '../../test/harness.ts';
import { docFromText } from '../content/doc.ts';

/**
 * 工作台 in Chromium: each role of 锦江区 (and the province supervisor) signs in and lands on its own
 * workbench with the right numbers, and a line opens its story. The unit chosen in the switcher is where the
 * next sign-in opens. With TIANFU_DOCS_SCREENSHOTS=1 the unit admin's workbench refreshes docs/workbench.png.
 */
const DRAFTS = ['锦江区春熙路商圈新春消费季启动', '锦江区老旧小区加装电梯提速', '东门码头夜游线路本周开通'];
const RETURNED = { title: '锦江区社区食堂覆盖全部街道', comment: '第二段的数据请注明来源' };
const WAITING = ['锦江绿道骑行节周末开幕', '锦江区中小学新学期课后服务全覆盖'];
const PUBLISHED = ['锦江区举办首届非遗市集', '太古里商圈春节客流同比增长两成'];
const FAILED_CHANNEL = '区政务平台';

describeInBrowser('workbench in a browser', () => {
  // server is there once the suite's beforeAll has run: read it through the suite, never destructured
  const suite = useServerAndSessions();
  const { pages, session } = suite;
  const ids = new Map<string, string>();

  const act = async (by: ApiClient, title: string, action: string, body: Record<string, unknown> = {}) => {
    const res = await by.post(`/api/items/${ids.get(title)}/workflow/${action}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  // A morning in 锦江区's newsroom, written through the API as the people themselves.
  beforeAll(async () => {
    const [reporter, editor, chief, leader] = await Promise.all(['jinjiang_reporter', 'jinjiang_editor', 'jinjiang_chief', 'jinjiang_admin'].map((u) => suite.server.as(u)));
    expect((await leader.post('/api/channels', { kind: 'webhook', name: FAILED_CHANNEL, config: { url: 'https://gov.example.cn/hook' }, secrets: { signingSecret: 'super-secret-signing-key-1' } })).status).toBe(201);
    for (const title of [...DRAFTS, RETURNED.title, ...WAITING, ...PUBLISHED]) {
      const res = await reporter.post('/api/items', { type: 'article', title, body: docFromText(`${title}。记者现场采访了相关负责人。`) });
      expect(res.status).toBe(201);
      ids.set(title, res.body.id);
    }
    for (const title of [RETURNED.title, ...WAITING, ...PUBLISHED]) await act(reporter, title, 'submit');
    await act(editor, RETURNED.title, 'return', { comment: RETURNED.comment });
    for (const title of PUBLISHED) {
      await act(editor, title, 'approve');
      await act(chief, title, 'approve');
      await act(leader, title, 'approve');
      await act(chief, title, 'publish');
    }
    // the government platform refused the first story (as the delivery worker records a refusal)
    await suite.server.db.updateTable('distribution_deliveries').set({ status: 'failed', failure: 'rejected', last_error: '对方接口返回 400：缺少栏目编号' }).where('item_id', '=', ids.get(PUBLISHED[0]!)!).execute();
    const unit = (await suite.server.services.alliance.findUnitByDivisionCode('510104'))!;
    const reporterId = (await reporter.get('/api/session')).body.user.id;
    expect((await editor.post('/api/tasks', { title: '采访东门码头夜游首发', assigneeUnitId: unit.id, assigneeUserId: reporterId, dueAt: new Date(Date.now() + 6 * 3600_000).toISOString() })).status).toBe(201);
    // next door, 青羊区 writes too: never in 锦江区's numbers
    await (await suite.server.as('qingyang_reporter')).post('/api/items', { type: 'article', title: '青羊区宽窄巷子灯会', body: docFromText('青羊区灯会今晚开幕。') });
  }, 240_000);

  /** With TIANFU_SCREENSHOTS, the same page on a phone (390×844) for a person to look at. */
  const phoneShot = async (page: Page, name: string) => {
    if (!process.env.TIANFU_SCREENSHOTS) return;
    const size = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await stepShot(page, name, { fullPage: true });
    if (size) await page.setViewportSize(size);
  };
  const stat = (page: Page, key: string) => page.getByTestId(`wb-stat-${key}`).locator('.ant-statistic-content-value').textContent();
  /** Opens a line of a list and checks it is that story's page. */
  const openEntry = async (page: Page, list: string, title: string, target: RegExp) => {
    await page.getByTestId(`wb-list-${list}`).getByTestId('wb-entry').filter({ hasText: title }).click();
    await expect.poll(() => page.url()).toMatch(target);
  };

  it('a reporter lands on their own stories, sees why one came back, and opens it', { timeout: 180_000 }, async () => {
    try {
      const page = await session('jinjiang_reporter');
      await page.getByTestId('workbench').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await stat(page, 'drafts')).toBe('3');
      expect(await stat(page, 'returned')).toBe('1');
      expect(await stat(page, 'in-review')).toBe('2');
      expect(await stat(page, 'published-today')).toBe('2');
      expect(await stat(page, 'tasks')).toBe('1');
      const returned = page.getByTestId('wb-list-returned');
      expect(await returned.textContent()).toContain(RETURNED.comment);
      expect(await page.getByTestId('wb-list-drafts').textContent()).not.toContain('青羊区');
      await stepShot(page, 'workbench-reporter', { fullPage: true });
      await openEntry(page, 'returned', RETURNED.title, new RegExp(`/items/${ids.get(RETURNED.title)}$`));
      await expect.poll(() => page.getByTestId('title-input').inputValue()).toBe(RETURNED.title);
    } catch (err) {
      throw await withFailureScreenshots(err, 'workbench-reporter', pages);
    }
  });

  it('an editor lands on what waits at 初审 and opens it for review', { timeout: 180_000 }, async () => {
    try {
      const page = await session('jinjiang_editor');
      await page.getByTestId('workbench').waitFor();
      expect(await stat(page, 'waiting')).toBe('2');
      expect(await stat(page, 'overdue')).toBe('0');
      expect(await stat(page, 'signed-off-today')).toBe('2');
      expect(await page.getByTestId('wb-list-waiting').textContent()).toContain('初审');
      await openEntry(page, 'waiting', WAITING[0]!, new RegExp(`/review/${ids.get(WAITING[0]!)}$`));
      await page.getByTestId('review-item').waitFor();
    } catch (err) {
      throw await withFailureScreenshots(err, 'workbench-editor', pages);
    }
  });

  it("a unit admin lands on the unit's pipeline and the failed delivery, and opens that story", { timeout: 180_000 }, async () => {
    try {
      const page = await session('jinjiang_admin');
      await page.getByTestId('workbench').waitFor();
      expect(await stat(page, 'draft')).toBe('4');
      expect(await stat(page, 'submitted')).toBe('2');
      expect(await stat(page, 'unit-published-today')).toBe('2');
      expect(await stat(page, 'failed-deliveries')).toBe('1');
      expect(await page.getByTestId('wb-staff').textContent()).toContain('5');
      const failures = page.getByTestId('wb-list-failures');
      expect(await failures.textContent()).toContain(FAILED_CHANNEL);
      if (process.env.TIANFU_DOCS_SCREENSHOTS) {
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.resolve(import.meta.dirname, '../../../docs/workbench.png'), fullPage: true });
      }
      await stepShot(page, 'workbench-admin', { fullPage: true });
      await phoneShot(page, 'workbench-admin-phone');
      await openEntry(page, 'failures', PUBLISHED[0]!, new RegExp(`/items/${ids.get(PUBLISHED[0]!)}$`));
      await expect.poll(() => page.getByTestId('title-input').inputValue()).toBe(PUBLISHED[0]);
    } catch (err) {
      throw await withFailureScreenshots(err, 'workbench-admin', pages);
    }
  });

  it("the province supervisor lands on each city's activity and opens a story published today", { timeout: 180_000 }, async () => {
    try {
      const page = await session('supervisor');
      await page.getByTestId('workbench').waitFor();
      expect(await stat(page, 'subtree-published-today')).toBe('2');
      expect(await stat(page, 'subtree-in-review')).toBe('2');
      await page.getByTestId('wb-chart').locator('canvas').waitFor();
      expect(await page.getByTestId('wb-quiet').textContent()).toContain('24');
      await stepShot(page, 'workbench-supervisor', { fullPage: true });
      await phoneShot(page, 'workbench-supervisor-phone');
      await openEntry(page, 'subtree-published', PUBLISHED[1]!, new RegExp(`/items/${ids.get(PUBLISHED[1]!)}$`));
      await expect.poll(() => page.getByTestId('title-input').inputValue()).toBe(PUBLISHED[1]);
    } catch (err) {
      throw await withFailureScreenshots(err, 'workbench-supervisor', pages);
    }
  });

  it('the unit chosen in the switcher is where the next sign-in opens', { timeout: 180_000 }, async () => {
    try {
      // sign-in first opens 成华区 (the first membership by name); choose 锦江区 instead
      const page = await session('multi');
      await ensureUnit(page, '锦江区融媒体中心 · 记者');
      await page.getByRole('button', { name: /退\s*出/ }).click();
      await page.getByLabel('用户名').waitFor();
      await signIn(page, 'multi');
      await page.getByTestId('unit-switcher').getByText('锦江区融媒体中心 · 记者').waitFor();
      // the reporter's workbench, not the chief editor's
      await page.getByTestId('wb-stat-drafts').waitFor();
      expect(await page.getByTestId('wb-stat-waiting').count()).toBe(0);
    } catch (err) {
      throw await withFailureScreenshots(err, 'workbench-remembered-unit', pages);
    }
  });
});
