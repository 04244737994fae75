import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { FIXTURE_PASSWORD } from './fixtures.ts';
import { startTestServer, type TestServer } from './harness.ts';

/**
 * What the Chromium tests share: whether they can run at all, launching Chromium, signing in through
 * the login page, and screenshots (step pictures on request, every open page on failure).
 */

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1440, height: 1000 };
const PAGE_TIMEOUT = 45_000; // generous: CI runs two test files at once on two cores

export function chromiumPath(): string | null {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (fs.existsSync(p)) return p;
  return null;
}

/** Why the browser tests cannot run here (no Chromium, or the console not built), or null if they can. */
export function browserSkipReason(): string | null {
  if (!chromiumPath()) return 'no Chromium at /usr/bin/chromium; apt install chromium fonts-noto-cjk';
  if (!fs.existsSync(path.resolve(import.meta.dirname, '../../web/dist/index.html'))) return 'console not built; run npm run build:web';
  return null;
}

/** A suite that runs only where the browser tests can; its name says why it was skipped if it was. */
export function describeInBrowser(name: string, suite: () => void): void {
  const skipReason = browserSkipReason();
  describe.skipIf(skipReason !== null)(skipReason ? `${name} (skipped: ${skipReason})` : name, suite);
}

export interface ChromiumProfile {
  context: BrowserContext;
  /** The profile's first page, with the default timeout set. */
  page: Page;
  /** Closes Chromium and removes the profile folder. */
  close(): Promise<void>;
}

/** One persistent Chromium profile in a fresh temporary folder. */
export async function openProfile(): Promise<ChromiumProfile> {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, { executablePath: chromiumPath()!, headless: true, viewport: VIEWPORT, args: CHROMIUM_ARGS });
  } catch (err) {
    fs.rmSync(profileDir, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(PAGE_TIMEOUT);
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export interface ChromiumBrowser {
  browser: Browser;
  /** A page in a browser context of its own, with the default timeout set. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A Chromium in which each person gets a browser context of their own (own cookies, own session), as on separate machines. */
export async function openBrowser(): Promise<ChromiumBrowser> {
  const browser = await chromium.launch({ executablePath: chromiumPath()!, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
      const page = await context.newPage();
      page.setDefaultTimeout(PAGE_TIMEOUT);
      return page;
    },
    close: () => browser.close(),
  };
}

/** Signs in as a fixture user on the login page (opening the console at baseUrl first, if given) and waits for the console. */
export async function signIn(page: Page, username: string, baseUrl?: string): Promise<void> {
  if (baseUrl) await page.goto(`${baseUrl}/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(FIXTURE_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('console-header').waitFor();
}

/** Makes the unit switcher show this membership ("成华区融媒体中心 · 主编"), switching to it if needed. */
export async function ensureUnit(page: Page, label: string): Promise<void> {
  const switcher = page.getByTestId('unit-switcher');
  await switcher.getByText(/融媒体中心 · /).waitFor();
  if (!(await switcher.textContent())?.includes(label)) {
    await switcher.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).click();
    await switcher.getByText(label).waitFor();
  }
}

/**
 * Clicks a dialog's confirm button until the dialog has closed. On a busy CI machine a click that lands
 * while an antd modal is still opening can be lost, leaving the dialog open with nothing sent; a person
 * would click again, and so does this (a click on a button already busy with the request does nothing).
 */
export async function confirmUntilClosed(confirm: Locator): Promise<void> {
  await confirm.waitFor();
  for (let attempt = 0; attempt < 3 && (await confirm.isVisible()); attempt++) {
    await confirm.click({ timeout: 10_000 }).catch(() => undefined);
    await confirm.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  }
  await confirm.waitFor({ state: 'hidden' });
}

/** Clicks a side-menu entry. Its accessible name carries the icon's label first ("file-text 稿库"): match the label at the end. */
export const openMenu = (page: Page, name: string) => page.getByRole('menuitem', { name: new RegExp(`(^|\\s)${name}$`) }).click();

/** With TIANFU_SCREENSHOTS=<folder>, keeps a picture of a step (<name>.png) for a person to look at. */
export async function stepShot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const dir = process.env.TIANFU_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), ...options });
}

/** The test's error, with a screenshot of each page still open (tianfu-<name>-failure-….png in the temp folder). */
export async function withFailureScreenshots(err: unknown, name: string, pages: Page[]): Promise<Error> {
  const stamp = Date.now();
  const shots: string[] = [];
  for (const [i, page] of pages.entries()) {
    if (page.isClosed()) continue;
    const file = path.join(os.tmpdir(), pages.length === 1 ? `tianfu-${name}-failure-${stamp}.png` : `tianfu-${name}-failure-${stamp}-${i}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    shots.push(file);
  }
  return new Error(`${(err as Error).message}\n(${shots.length === 1 ? 'screenshot' : 'screenshots'}: ${shots.join(', ')})`, { cause: err });
}

/**
 * For a suite: the test server and one persistent Chromium profile, started before its tests and
 * stopped after. The fields are there once the suite's beforeAll has run.
 */
export function useServerAndProfile(): { readonly server: TestServer; readonly page: Page } {
  let server: TestServer;
  let profile: ChromiumProfile;
  beforeAll(async () => {
    server = await startTestServer();
    profile = await openProfile();
  }, 60_000);
  afterAll(async () => {
    await profile?.close();
    await server?.close();
  });
  return {
    get server() {
      return server;
    },
    get page() {
      return profile.page;
    },
  };
}

/**
 * For a suite: the test server and a Chromium in which each person gets a browser context of their
 * own, started before its tests and stopped after. session() opens a page signed in as one fixture
 * user; pages holds every page opened, for the failure screenshots.
 */
export function useServerAndSessions(): { readonly server: TestServer; readonly pages: Page[]; session(username: string): Promise<Page> } {
  let server: TestServer;
  let browser: ChromiumBrowser;
  const pages: Page[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    browser = await openBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      return server;
    },
    pages,
    async session(username: string) {
      const page = await browser.newPage();
      pages.push(page);
      await signIn(page, username, server.url);
      return page;
    },
  };
}
