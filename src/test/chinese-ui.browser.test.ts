import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoContent } from '../modules/content/demo.ts';
import { channelKinds } from '../modules/distribution/contract.ts';
import { channelKindLabels } from '../shared/labels.ts';
import { addUserFromCli } from '../modules/identity/bootstrap.ts';
import { describeInBrowser, openBrowser, stepShot, withFailureScreenshots, type ChromiumBrowser } from './browser.ts';
import { FIXTURE_PASSWORD, fixtureUsers } from './fixtures.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { foreignWords } from './ui-words.ts';

/**
 * 中文优先: the console in Chinese shows no English and no raw codes. The demo admin (alliance admin at the
 * root and unit admin of 成都市, as `tianfu serve` makes it) walks every page of the side menu in each of
 * its units (so a page added to the menu later is walked too), every tab, every 新增/添加 dialog, an item
 * with its channel preview, and reports the Latin words it sees per page that ui-words.ts does not allow.
 * Text inside [data-technical] (ids, hashes, NINJS), code and pre is technical and not read.
 * With TIANFU_SCREENSHOTS=<folder> it keeps a picture of every step.
 */
describeInBrowser('the Chinese console speaks Chinese', () => {
  let server: TestServer;
  let chromium: ChromiumBrowser;
  beforeAll(async () => {
    server = await startTestServer();
    await seedDemoContent(server.services);
    const { alliance } = server.services;
    const root = (await alliance.findRoot())!;
    const { user } = await addUserFromCli(server.db, alliance, { username: 'demo_admin', displayName: '联合体管理员', password: FIXTURE_PASSWORD, unitId: root.id, role: 'alliance_admin' });
    const chengdu = (await alliance.findUnitByDivisionCode('510100'))!;
    await alliance.grantAsSystem(server.db, { actorUserId: null }, user.id, chengdu.id, 'unit_admin');
    chromium = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('walks every page, tab and add dialog in zh-CN and finds no English words', { timeout: 600_000 }, async () => {
    const page = await chromium.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(`${new URL(page.url()).pathname}: ${err.message}`));
    const settle = settler(page);
    // Usernames are test data, not the console's words (the demo admin's display name is Chinese).
    const testData = new Set([...Object.keys(fixtureUsers), 'demo_admin']);
    const found: string[] = [];
    let shot = 0;
    const scan = async (where: string) => {
      await settle();
      const words = foreignWords(await page.evaluate(visibleText), testData);
      if (words.length) found.push(`${where}: ${words.join(', ')}`);
      await stepShot(page, `${String(++shot).padStart(2, '0')}-${where.replace(/[^\p{L}\p{N}]+/gu, '_')}`);
    };
    try {
      await page.goto(`${server.url}/`);
      await page.getByLabel('用户名').fill('demo_admin');
      await page.getByLabel('密码').fill(FIXTURE_PASSWORD);
      await scan('登录');
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.getByTestId('console-header').waitFor();

      const walked = new Set<string>();
      for (const unit of await unitChoices(page)) {
        await chooseUnit(page, unit);
        for (const path of await menuPaths(page)) {
          if (walked.has(path)) continue;
          walked.add(path);
          await openPath(page, path);
          await scan(path);
          await walkTabs(page, path, scan);
          await walkAddDialogs(page, path, scan);
          await pageChecks[path]?.(page, scan);
        }
      }
      expect(walked.size).toBeGreaterThan(15);
      expect([...walked]).toContain('/recommend'); // only in 成都市: the walk did change unit

      // An item of 成都市 (the admin's unit there), its tabs and its channel preview.
      await chooseUnit(page, '成都市');
      await openPath(page, '/hub');
      await page.getByTestId('item-title').first().click();
      await page.getByTestId('renditions-button').waitFor();
      await scan('稿件');
      await walkTabs(page, '稿件', scan);
      await page.getByTestId('renditions-button').click();
      await page.getByTestId('renditions-latest').click();
      await page.getByTestId('renditions-tabs').waitFor();
      await scan('稿件 › 渠道预览');
      await walkTabs(page, '稿件 › 渠道预览', scan, page.getByTestId('renditions-tabs'));
    } catch (err) {
      throw await withFailureScreenshots(err, 'chinese-ui', [page]);
    }
    expect(pageErrors, 'errors thrown in the page').toEqual([]);
    expect(found, 'Latin words in the Chinese console (fix the label, or allow the word in src/test/ui-words.ts with a reason)').toEqual([]);
  });
});

type Scan = (where: string) => Promise<void>;

/** Text a person sees: visible text nodes and placeholders, outside technical panels, code and pre. */
function visibleText(): string {
  const technical = '[data-technical], code, pre, kbd, samp, script, style, noscript';
  const out: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent?.trim() || el.closest(technical)) continue;
    if (el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) out.push(node.textContent);
  }
  for (const el of document.querySelectorAll<HTMLInputElement>('input[placeholder], textarea[placeholder]')) {
    if (!el.closest(technical) && el.checkVisibility()) out.push(el.placeholder);
  }
  return out.join('\n');
}

/** Waits until the console's requests have answered (the live notification stream aside) and no spinner turns. */
function settler(page: Page): () => Promise<void> {
  let pending = 0;
  const counted = (r: { resourceType(): string }) => r.resourceType() === 'fetch' || r.resourceType() === 'xhr';
  page.on('request', (r) => counted(r) && pending++);
  page.on('requestfinished', (r) => counted(r) && pending--);
  page.on('requestfailed', (r) => counted(r) && pending--);
  return async () => {
    let quiet = 0;
    for (let i = 0; i < 150 && quiet < 3; i++) {
      await page.waitForTimeout(100);
      const spinning = await page.locator('.ant-spin-spinning:visible, .ant-btn-loading:visible').count();
      quiet = pending <= 0 && spinning === 0 ? quiet + 1 : 0;
    }
  };
}

/** The units of the unit switcher, by unit name. */
async function unitChoices(page: Page): Promise<string[]> {
  const switcher = page.getByTestId('unit-switcher');
  await switcher.click();
  const options = await page.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents();
  await page.keyboard.press('Escape');
  return options.map((o) => o.split(' · ')[0]!);
}

async function chooseUnit(page: Page, unit: string): Promise<void> {
  const switcher = page.getByTestId('unit-switcher');
  if ((await switcher.textContent())?.includes(unit)) return;
  await switcher.click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: unit }).click();
  await switcher.getByText(unit).waitFor();
}

/** The side menu's pages, read from the menu itself: each entry is clicked and the address it leads to noted. */
async function menuPaths(page: Page): Promise<string[]> {
  const menu = page.locator('.ant-layout-sider .ant-menu');
  for (const closed of await menu.locator('.ant-menu-submenu:not(.ant-menu-submenu-open) > .ant-menu-submenu-title').all()) await closed.click();
  const paths: string[] = [];
  const entries = menu.locator('.ant-menu-item');
  const count = await entries.count();
  for (let i = 0; i < count; i++) {
    await entries.nth(i).click();
    paths.push(await page.evaluate(() => window.location.pathname));
  }
  return paths;
}

/** Goes to a console path the way the console does (history + popstate), without reloading the page. */
async function openPath(page: Page, path: string): Promise<void> {
  await page.evaluate((p) => {
    window.history.pushState(null, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await page.waitForFunction((p) => window.location.pathname === p, path);
}

/** Each tab of the page's (or the given element's) first tab bar, in turn. */
async function walkTabs(page: Page, where: string, scan: Scan, within = page.locator('.ant-layout-content')): Promise<void> {
  const tabs = within.locator('.ant-tabs-nav').first().locator('.ant-tabs-tab');
  const count = await tabs.count();
  for (let i = 1; i < count; i++) {
    const tab = tabs.nth(i);
    if (!(await tab.isVisible()) || (await tab.getAttribute('class'))?.includes('disabled')) continue;
    const label = (await tab.textContent())?.trim() ?? String(i);
    await tab.click();
    await scan(`${where} › ${label}`);
  }
  if (count > 1) await tabs.first().click();
}

/** Every visible 新增/添加/新建 button of the page opens its dialog; the dialog is read, then closed unsaved. */
async function walkAddDialogs(page: Page, where: string, scan: Scan): Promise<void> {
  const buttons = page.locator('.ant-layout-content button:visible', { hasText: /^\s*(新增|添加|新建)/ });
  const count = await buttons.count();
  for (let i = 0; i < count; i++) {
    const button = buttons.nth(i);
    if (await button.isDisabled()) continue;
    const label = (await button.textContent())?.trim() ?? '';
    await button.click();
    const dialog = page.locator('.ant-modal-wrap:visible, .ant-drawer-open').last();
    if (!(await dialog.waitFor({ timeout: 3_000 }).then(() => true, () => false))) continue; // it added a row in place
    await scan(`${where} › ${label}`);
    await closeDialogs(page);
  }
}

async function closeDialogs(page: Page): Promise<void> {
  const open = page.locator('.ant-modal-wrap:visible, .ant-drawer-open');
  for (let i = 0; i < 3 && (await open.count()) > 0; i++) {
    await page.keyboard.press('Escape');
    await open.first().waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
  }
}

/** Pages whose forms are checked further: what a person sees after saving a form left empty. */
const pageChecks: Record<string, (page: Page, scan: Scan) => Promise<void>> = {
  '/channels': async (page, scan) => {
    await page.getByTestId('channel-add').click();
    const kinds = page.getByTestId('channel-kind');
    const chooseKind = async (label: string) => {
      await kinds.click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).click();
    };
    const labels = channelKinds.map((kind) => channelKindLabels[kind][0]);
    for (const label of labels) {
      await chooseKind(label);
      await scan(`/channels › 添加渠道 › ${label}`);
    }
    // A WeChat channel saved with its required settings empty: each named under its field, in Chinese,
    // and nothing thrown in the page (it once failed with an uncaught "Object").
    await chooseKind('微信公众号');
    await page.getByTestId('channel-name').fill('本单位公众号');
    await page.getByTestId('channel-save').click();
    const errors = page.locator('.ant-modal-wrap:visible .ant-form-item-explain-error');
    await errors.first().waitFor();
    expect(await errors.allTextContents()).toEqual(expect.arrayContaining(['请填写公众号 AppID（wx 开头）', '请填写公众号 AppSecret']));
    await scan('/channels › 添加渠道 › 微信公众号（必填项留空保存）');
    await closeDialogs(page);
  },
  '/workflow-settings': async (page, scan) => {
    await page.getByTestId('webhooks-card').getByRole('button', { name: /新\s*增/ }).click();
    await page.locator('.ant-modal-wrap:visible').getByRole('button', { name: /确\s*定/ }).click();
    await page.locator('.ant-modal-wrap:visible .ant-form-item-explain-error').first().waitFor();
    await scan('/workflow-settings › 新增事件回调（留空保存）');
    await page.locator('.ant-modal-wrap:visible input').first().fill('not a link');
    await scan('/workflow-settings › 新增事件回调（地址有误）');
    await closeDialogs(page);
  },
};
