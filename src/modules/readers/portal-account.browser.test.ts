import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeInBrowser, openBrowser, stepShot, withFailureScreenshots, type ChromiumBrowser } from '../../test/browser.ts';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import type { ChannelAdapter } from '../distribution/contract.ts';
import { siteAdapters } from '../portal/site.adapters.ts';
import { channel, deliver, source, unitByCode } from '../../test/site-store.ts';

/**
 * One reader across the alliance, in Chromium: signs up on 锦江区's portal, reads three stories there,
 * and the 推荐 page changes with "因为你读过…"; then, in a browser that has never seen the reader, signs in
 * on 青羊区's portal and is greeted by name, with a feed that already knows what was read in 锦江.
 */
const PHONE = '13912345678';
const PASSWORD = 'Reader-Pass-2026';
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

let server: TestServer;
let chromium: ChromiumBrowser;
const pages: Page[] = [];
const pandas: { itemId: string; title: string }[] = [];

async function publish(adapters: ChannelAdapter[], code: string, title: string, paragraphs: string[], category: string, hours: number) {
  const unit = await unitByCode(server.db, code);
  const story = source({ unit, title, paragraphs, category, publishedAt: hoursAgo(hours) });
  await deliver(adapters, channel('portal', unit.id), story);
  return { itemId: story.itemId, title };
}

const pandaText = (n: number) => [
  `大熊猫基地第${n}只熊猫宝宝今天和游客见面，饲养员介绍了熊猫的饮食和作息。`,
  '熊猫宝宝每天吃竹笋和竹叶，熊猫基地的饲养员记录它们的体重。',
  '大熊猫保护研究人员说，熊猫栖息地的竹林长势良好。',
];

beforeAll(async () => {
  // Past one code per client IP and hour, a proof of work is asked for (the second test goes past it).
  server = await startTestServer({ config: { readerCodePowAfter: 1, readerCodePowBits: 17 } });
  const adapters = siteAdapters(server.db);
  for (let i = 1; i <= 4; i++) pandas.push(await publish(adapters, '510104', `熊猫宝宝第${i}次亮相`, pandaText(i), '生态', 20 + i));
  // The newest stories on both sites are about other things, so an unpersonalised feed opens with them.
  for (let i = 0; i < 6; i++) {
    await publish(adapters, '510104', `社区便民服务点第${i + 1}站开放`, [`社区便民服务点为居民提供缴费和维修服务，第${i + 1}站今天开放。`], '民生', 1 + i);
    await publish(adapters, '510105', `青羊区老旧小区改造第${i + 1}批完工`, [`青羊区老旧小区改造第${i + 1}批完工，加装电梯和停车位。`], '民生', 1 + i);
  }
  await publish(adapters, '510105', '熊猫基地迎来双胞胎熊猫', pandaText(9), '生态', 30);
  chromium = await openBrowser();
}, 180_000);
afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

/** What the 推荐 page lists: each story's title and its reason. */
const feedOf = (page: Page) =>
  page.locator('.cards article').evaluateAll((cards) => cards.map((c) => ({ title: c.querySelector('h3')?.textContent ?? '', reason: c.querySelector('.reason')?.textContent ?? '' })));

/** Reads a story the way a person does: opens it, scrolls to the end, stays a moment, moves on. */
async function readStory(page: Page, slug: string, itemId: string, title: string) {
  await page.goto(`${server.url}/portal/${slug}/a/${itemId}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(1200);
}

/** The recommender's minute job, as often as needed: reading events arrive by beacon, a moment after the page is left. */
async function refreshedFeed(page: Page, slug: string) {
  await server.services.readerEvents.buffer.flush();
  await server.services.recommend.catchUp();
  await page.goto(`${server.url}/portal/${slug}/for-you`);
  return feedOf(page);
}

describeInBrowser('a reader on two county portals', () => {
  it('signs up in 锦江, reads three stories, gets reasons; is recognised in 青羊', { timeout: 240_000 }, async () => {
    try {
      const jinjiang = await chromium.newPage();
      pages.push(jinjiang);
      await jinjiang.goto(`${server.url}/portal/510104`);
      await jinjiang.getByRole('navigation', { name: '栏目' }).getByRole('link', { name: '我的' }).click();
      await jinjiang.getByRole('heading', { name: '注册' }).waitFor();

      // A wrong code is refused with the server's words, and no account is made.
      await jinjiang.getByLabel('手机号或邮箱').first().fill(PHONE);
      await jinjiang.getByRole('button', { name: '获取验证码' }).first().click();
      await expect.poll(() => jinjiang.locator('#account-status').textContent()).toContain('验证码已发送');
      const code = server.services.consoleCodes.lastCodeFor(`+86${PHONE}`)!;
      expect(code).toMatch(/^\d{6}$/);
      await jinjiang.getByLabel('验证码').first().fill(code === '000000' ? '111111' : '000000');
      await jinjiang.getByRole('button', { name: '注册并登录' }).click();
      await expect.poll(() => jinjiang.locator('#account-status').textContent()).toBe('验证码错误或已过期');
      expect(await server.db.selectFrom('readers').select('id').execute()).toHaveLength(0);

      await jinjiang.getByLabel('验证码').first().fill(code);
      await jinjiang.getByLabel('昵称').fill('川西读者');
      await jinjiang.getByLabel(/^密码（可选/).fill(PASSWORD);
      expect(await jinjiang.getByLabel('常住地', { exact: true }).inputValue()).toBe('510104');
      await jinjiang.getByLabel(/个性化推荐/).check();
      await stepShot(jinjiang, 'reader-signup');
      await jinjiang.getByRole('button', { name: '注册并登录' }).click();
      await jinjiang.waitForURL(/\/portal\/510104\/for-you$/);
      await expect.poll(() => jinjiang.locator('.who').textContent()).toContain('你好，川西读者');

      const before = await feedOf(jinjiang);
      expect(before.length).toBeGreaterThan(5);
      expect(before.some((s) => s.reason.startsWith('因为你读过'))).toBe(false);

      for (const story of pandas.slice(0, 3)) await readStory(jinjiang, '510104', story.itemId, story.title);
      await jinjiang.goto(`${server.url}/portal/510104`);

      const readTitles = pandas.slice(0, 3).map((p) => p.title);
      let after: { title: string; reason: string }[] = [];
      await expect
        .poll(async () => {
          after = await refreshedFeed(jinjiang, '510104');
          // Done when all three reads are in (the last beacon can arrive after the page it left).
          return after.some((s) => s.title === pandas[3]!.title && s.reason.startsWith('因为你读过')) && !after.some((s) => readTitles.includes(s.title));
        })
        .toBe(true);
      const unread = after.find((s) => s.title === pandas[3]!.title)!;
      expect(readTitles.map((t) => `因为你读过《${t}》`)).toContain(unread.reason);
      // The feed changed: the unread panda story rose to the top, with its reason on screen, and nothing read comes back.
      expect(before[0]!.title).not.toBe(pandas[3]!.title);
      expect(after[0]!.title).toBe(pandas[3]!.title);
      expect(await jinjiang.locator('.reason').first().isVisible()).toBe(true);
      for (const t of readTitles) expect(after.map((s) => s.title)).not.toContain(t);
      await stepShot(jinjiang, 'reader-for-you-after-reading');

      // Another county's portal, in a browser with no cookie and no device id of this reader.
      const qingyang = await chromium.newPage();
      pages.push(qingyang);
      await qingyang.goto(`${server.url}/portal/510105/account`);
      await qingyang.getByRole('heading', { name: '登录' }).waitFor();
      await qingyang.locator('#lp-login').fill(PHONE);
      await qingyang.locator('#lp-password').fill(PASSWORD);
      await qingyang.getByRole('button', { name: '密码登录' }).click();
      await qingyang.waitForURL(/\/portal\/510105\/for-you$/);
      await expect.poll(() => qingyang.locator('.who').textContent()).toContain('你好，川西读者');
      const there = await feedOf(qingyang);
      expect(there[0]).toMatchObject({ title: '熊猫基地迎来双胞胎熊猫' });
      expect(there[0]!.reason).toMatch(/^因为你读过《熊猫宝宝第[123]次亮相》$/);
      await stepShot(qingyang, 'reader-recognised-in-qingyang');

      await qingyang.getByRole('link', { name: '我的' }).first().click();
      await qingyang.getByRole('heading', { name: /欢迎回来，川西读者/ }).waitFor();
      expect(await qingyang.locator('[data-registered]').textContent()).toBe('锦江区融媒体中心');
    } catch (err) {
      throw await withFailureScreenshots(err, 'reader-portals', pages);
    }
  });
});

describeInBrowser('安全验证 on the 我的 page', () => {
  it('past the threshold the page solves the proof of work itself, stays responsive, and the reader signs up', { timeout: 180_000 }, async () => {
    const page = await chromium.newPage();
    pages.push(page);
    try {
      // This client IP has asked for codes before: the next one needs a proof of work.
      let answer = 0;
      for (let i = 0; answer !== 428 && i < 5; i++) {
        const res = await fetch(`${server.url}/api/reader/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'phone', destination: `1391000000${i}` }) });
        answer = res.status;
      }
      expect(answer).toBe(428);

      await page.goto(`${server.url}/portal/510105/account`);
      await page.getByRole('heading', { name: '注册' }).waitFor();
      // Every text the status line shows, and the longest the page went without running a timer.
      await page.evaluate(() => {
        const w = window as unknown as { statuses: string[]; longestStall: number };
        w.statuses = [];
        w.longestStall = 0;
        const status = document.getElementById('account-status')!;
        new MutationObserver(() => w.statuses.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
        let last = performance.now();
        setInterval(() => {
          const now = performance.now();
          w.longestStall = Math.max(w.longestStall, now - last);
          last = now;
        }, 20);
      });
      const phone = '13987654321';
      await page.getByLabel('手机号或邮箱').first().fill(phone);
      const started = Date.now();
      await page.getByRole('button', { name: '获取验证码' }).first().click();
      const verifying = page.locator('#account-status', { hasText: '正在进行安全验证…' });
      if (await verifying.waitFor({ timeout: 2000 }).then(() => true, () => false)) await stepShot(page, 'reader-pow-verifying');
      await expect.poll(() => page.locator('#account-status').textContent(), { timeout: 60_000 }).toContain('验证码已发送');
      const solvedInMs = Date.now() - started;
      const seen = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
      expect(seen[0]).toBe('正在进行安全验证…');
      expect(seen.at(-1)).toMatch(/^验证码已发送/);
      // The loop yields: timers kept running while thousands of digests were tried.
      const stall = await page.evaluate(() => (window as unknown as { longestStall: number }).longestStall);
      expect(stall, `solved in ${solvedInMs} ms`).toBeLessThan(1000);
      expect(await server.db.selectFrom('reader_code_challenges').select('id').where('used_at', 'is not', null).execute()).toHaveLength(1);

      const code = server.services.consoleCodes.lastCodeFor(`+86${phone}`)!;
      await page.getByLabel('验证码').first().fill(code);
      await page.getByLabel('昵称').fill('验证过的读者');
      await stepShot(page, 'reader-pow-code-sent');
      await page.getByRole('button', { name: '注册并登录' }).click();
      await page.waitForURL(/\/portal\/510105\/for-you$/);
      await expect.poll(() => page.locator('.who').textContent()).toContain('你好，验证过的读者');
    } catch (err) {
      throw await withFailureScreenshots(err, 'reader-pow', [page]);
    }
  });
});

describeInBrowser('授权 on the 我的 page', () => {
  it('a reader withdraws personalisation with the keyboard; the API keeps it, 推荐 stops using their reading, the page shows it after reload', { timeout: 180_000 }, async () => {
    // The account is made through the service (this file's server asks for a proof of work past one code per address).
    const phone = '13955550001';
    const password = 'Consent-Pass-2026';
    const { readerAccounts, consoleCodes } = server.services;
    await readerAccounts.requestCode('phone', phone, { ip: '198.51.100.7' });
    await readerAccounts.signUp({
      channel: 'phone', destination: phone, code: consoleCodes.lastCodeFor(`+86${phone}`)!, unit: '510104', password, displayName: '授权读者',
      consents: [{ purpose: 'personalisation', granted: true }, { purpose: 'push', granted: true }], consentVersion: 'v1',
    });
    const page = await chromium.newPage();
    pages.push(page);
    await page.setViewportSize({ width: 390, height: 844 });
    const consents = async () => {
      const me = await page.request.get(`${server.url}/api/reader/me`);
      expect(me.status()).toBe(200);
      return Object.fromEntries(((await me.json()) as { consents: { purpose: string; granted: boolean }[] }).consents.map((c) => [c.purpose, c.granted]));
    };
    try {
      await page.goto(`${server.url}/portal/510104/account`);
      await page.locator('#lp-login').fill(phone);
      await page.locator('#lp-password').fill(password);
      await page.getByRole('button', { name: '密码登录' }).click();
      await page.waitForURL(/\/portal\/510104\/for-you$/);
      await page.goto(`${server.url}/portal/510104/account`);

      const personalised = page.getByRole('switch', { name: /个性化推荐/ });
      expect(await personalised.isChecked()).toBe(true);
      expect(await page.getByRole('switch', { name: /接收推送/ }).isChecked()).toBe(true);
      expect(await page.getByRole('switch', { name: /地区统计/ }).isChecked()).toBe(false);
      // Each switch says what turning it off (or on) does.
      expect(await personalised.getAttribute('aria-describedby').then((id) => page.locator(`#${id}`).textContent())).toContain('不再使用你的阅读记录');
      await stepShot(page, 'reader-consents', { fullPage: true });
      expect((await page.request.get(`${server.url}/api/recommend/510104/feed`).then((r) => r.json())).subject).toBe('reader');

      // Keyboard only: focus the switch, Space turns it off.
      await personalised.focus();
      await page.keyboard.press('Space');
      await expect.poll(() => page.locator('#account-status').textContent()).toContain('已关闭「个性化推荐」');
      expect(await page.locator('#consent-personalisation-effect').textContent()).toContain('开启后');
      expect(await consents()).toEqual({ personalisation: false, push: true, analytics: false });
      // 推荐 now treats the reader as nobody: no reading history, no follows.
      expect((await page.request.get(`${server.url}/api/recommend/510104/feed`).then((r) => r.json())).subject).toBe('anonymous');
      await stepShot(page, 'reader-consents-withdrawn', { fullPage: true });

      await page.reload();
      expect(await page.getByRole('switch', { name: /个性化推荐/ }).isChecked()).toBe(false);
      expect(await page.locator('#consent-personalisation').locator('xpath=..').locator('[data-consent-state]').textContent()).toBe('未同意');

      // And back on by its label, which the API keeps too.
      await page.locator('label[for="consent-personalisation"]').click();
      await expect.poll(() => page.locator('#account-status').textContent()).toContain('已开启「个性化推荐」');
      expect((await consents()).personalisation).toBe(true);
    } catch (err) {
      throw await withFailureScreenshots(err, 'reader-consents', [page]);
    }
  });
});
