import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeInBrowser, signIn, stepShot, useServerAndProfile, withFailureScreenshots } from '../../test/browser.ts';

/** The audit page shows the root's admin whether the audit hash chain holds, and what broke it. */
describeInBrowser(
  'audit chain status in the console',
  () => {
    const env = useServerAndProfile();

    it('shows an intact chain, then the edited row after tampering', { timeout: 180_000 }, async () => {
      const { server, page } = env;
      try {
        await server.services.audit.seal();
        await signIn(page, 'admin', server.url);
        await page.goto(`${server.url}/audit`);
        const status = page.getByTestId('audit-chain-status');
        await status.getByText('审计链完整').waitFor();
        await stepShot(page, 'audit-chain-intact');
        const row = await server.db.selectFrom('audit_log').select(['id', 'chain_seq']).where('chain_seq', 'is not', null).orderBy('chain_seq').limit(1).executeTakeFirstOrThrow();
        await sql`update audit_log set action = 'nothing.happened' where id = ${row.id}`.execute(server.db);
        await status.getByRole('button', { name: /重新校验/ }).click();
        await status.getByText(/审计链发现 1 处问题/).waitFor();
        expect(await status.textContent()).toContain(`第 ${row.chain_seq} 号（行 id ${row.id}）内容与哈希不符`);
        await stepShot(page, 'audit-chain-broken');
      } catch (err) {
        throw await withFailureScreenshots(err, 'audit-chain', [page]);
      }
    });
  },
);
