import { expect, it } from 'vitest';
import { describeInBrowser, openMenu, useServerAndSessions, withFailureScreenshots } from './browser.ts';

/**
 * 邀请加入单位 in the console: a county admin invites another county's editor from the staff page; the
 * editor sees the invitation in the header, accepts it, and can switch to the new unit at once.
 */
describeInBrowser('invitations in the console', () => {
  const env = useServerAndSessions();

  it('an admin invites by username, the person accepts, and the unit appears in their switcher', { timeout: 180_000 }, async () => {
    const admin = await env.session('qingyang_admin');
    const editor = await env.session('jinjiang_editor');
    try {
      await openMenu(admin, '人员与角色');
      await admin.getByTestId('invite-user').click();
      const dialog = admin.getByRole('dialog');
      await dialog.getByLabel('对方的用户名').fill('jinjiang_editor');
      await dialog.getByRole('button', { name: /发送邀请/ }).click();
      await admin.getByText('已向 jinjiang_editor 发出邀请').waitFor();
      await admin.getByText('待接受的邀请').waitFor();
      expect(await admin.locator('.ant-table-row', { hasText: 'jinjiang_editor' }).last().textContent()).toContain('青羊区融媒体中心 · 记者');

      // The editor's console shows the invitation after a reload (the header reads it on start).
      await editor.reload();
      await editor.getByTestId('my-invitations').click();
      const offer = editor.getByRole('dialog');
      await offer.getByText('青羊区融媒体中心 · 记者').waitFor();
      expect(await offer.textContent()).toContain('邀请人：qingyang_admin');
      await offer.getByRole('button', { name: /接\s*受/ }).click();
      await editor.getByText('已加入青羊区融媒体中心').waitFor();
      await editor.getByTestId('my-invitations').waitFor({ state: 'detached' });
      await editor.getByTestId('unit-switcher').click();
      await editor.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '青羊区融媒体中心 · 记者' }).waitFor();

      // Back on the admin's staff page, the editor is now a colleague and the invitation is gone.
      await admin.reload();
      await admin.locator('.ant-table-row', { hasText: 'jinjiang_editor' }).first().waitFor();
      expect(await admin.getByText('待接受的邀请').count()).toBe(0);
    } catch (err) {
      throw await withFailureScreenshots(err, 'invitations', env.pages);
    }
  });
});
