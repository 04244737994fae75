import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { FIXTURE_PASSWORD } from '../../test/fixtures.ts';
import { describeInBrowser, openMenu, signIn, stepShot, useServerAndProfile, withFailureScreenshots } from '../../test/browser.ts';

/**
 * A chief editor (who signs off, so the alliance requires a second factor) sets up TOTP in the console
 * during the grace period, then signs in with password + code, and with a recovery code, which works
 * only once. The codes are computed here from the secret the page shows, as an authenticator app would.
 */
describeInBrowser('two-step verification in the console', () => {
  const env = useServerAndProfile();
  const codeAt = (secret: string, timestamp: number) =>
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp });

  const signOut = async (page: Page) => {
    await page.getByTestId('console-header').getByRole('button', { name: /退\s*出/ }).click();
    await page.getByLabel('用户名').waitFor();
  };
  const password = async (page: Page) => {
    await page.getByLabel('用户名').fill('jinjiang_chief');
    await page.getByLabel('密码').fill(FIXTURE_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('mfa-step').waitFor();
  };

  it('enrols with a QR code and a first code, then signs in with a code and with a recovery code (once)', { timeout: 240_000 }, async () => {
    const { server, page } = env;
    try {
      await signIn(page, 'jinjiang_chief', server.url);
      const reminder = page.getByTestId('mfa-reminder');
      await reminder.waitFor();
      expect(await reminder.textContent()).toContain('您的角色须启用两步验证');
      await stepShot(page, 'mfa-1-reminder');

      await reminder.getByRole('button', { name: '立即设置' }).click();
      await page.getByTestId('account-page').waitFor();
      await page.getByRole('button', { name: '开始设置两步验证' }).click();
      await page.getByTestId('mfa-qr').waitFor();
      const secret = (await page.getByTestId('mfa-secret').getAttribute('data-secret'))!;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect((await page.getByTestId('mfa-secret').textContent())?.replace(/\s/g, '')).toBe(secret);
      await stepShot(page, 'mfa-2-scan');

      await page.getByLabel('验证码').fill(codeAt(secret, Date.now()));
      await page.getByRole('button', { name: '验证并启用' }).click();
      const codes = page.getByTestId('recovery-code');
      await codes.first().waitFor();
      const recovery = (await codes.allTextContents()).map((c) => c.trim());
      expect(recovery).toHaveLength(10);
      await stepShot(page, 'mfa-3-recovery-codes');
      await page.getByText('我已保存恢复码').click();
      await page.getByRole('button', { name: /完\s*成/ }).click();
      await page.getByTestId('mfa-enrolled').waitFor();
      expect(await page.getByTestId('mfa-reminder').count()).toBe(0);

      // Password, then the next code from the app.
      await signOut(page);
      await password(page);
      await stepShot(page, 'mfa-4-second-step');
      await page.getByLabel('动态验证码').fill(codeAt(secret, Date.now() + 30_000));
      await page.getByRole('button', { name: /^验\s*证$/ }).click();
      await page.getByTestId('console-header').waitFor();

      // Password, then a recovery code instead of the phone.
      await signOut(page);
      await password(page);
      await page.getByRole('button', { name: /使用恢复码/ }).click();
      await page.getByLabel('恢复码').fill(recovery[0]!);
      await page.getByRole('button', { name: /^验\s*证$/ }).click();
      await page.getByTestId('console-header').waitFor();
      await openMenu(page, '账号安全');
      await page.getByText('剩余可用恢复码：9 个').waitFor();

      // The same recovery code a second time is refused.
      await signOut(page);
      await password(page);
      await page.getByRole('button', { name: /使用恢复码/ }).click();
      await page.getByLabel('恢复码').fill(recovery[0]!);
      await page.getByRole('button', { name: /^验\s*证$/ }).click();
      await page.getByText('动态验证码或恢复码错误，或已被使用').waitFor();
      await stepShot(page, 'mfa-5-used-recovery-code');
      expect(await page.getByTestId('console-header').count()).toBe(0);
    } catch (err) {
      throw await withFailureScreenshots(err, 'mfa', [page]);
    }
  });
});
