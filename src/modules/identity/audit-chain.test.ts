import crypto from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import { GENESIS, chainHash, resolveChainAlg } from './audit-chain.ts';
import { AuditService, recordAudit } from './audit.service.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

const audit = () => server.services.audit;
const rootId = async () => (await server.db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow()).id;

class Rollback extends Error {}

/** Tampers inside a transaction that is rolled back, and verifies what the tampering left. */
async function tampered(change: (trx: Db) => Promise<unknown>, opts: { maxUnsealedMinutes?: number } = {}) {
  let report: Awaited<ReturnType<AuditService['verify']>> | undefined;
  await server.db
    .transaction()
    .execute(async (trx) => {
      await change(trx);
      report = await new AuditService(trx, server.services.alliance).verify(opts);
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return report!;
}

const chainRows = () =>
  server.db.selectFrom('audit_log').select(['id', 'unit_id', 'chain_seq', 'chain_hash', 'chain_prev', 'chain_alg', 'at']).where('chain_seq', 'is not', null).orderBy('chain_seq').execute();

describe('the audit hash chain', () => {
  it('the retention purge cuts the chain at its old end, leaves an anchor, and the chain still verifies', async () => {
    // The template's rows, made "400 days ago" before anything sealed them (time passing, not tampering).
    await sql`update audit_log set at = at - interval '400 days' where chain_seq is null`.execute(server.db);
    const aged = Number((await sql<{ n: number }>`select count(*) as n from audit_log`.execute(server.db)).rows[0]!.n);
    const root = await rootId();
    await sql`insert into audit_log (unit_id, at, action, target_type) values (${root}, now() - interval '10 days', 'recent.thing', 'test')`.execute(server.db);
    const purged = await audit().purgeOlderThan(365);
    expect(purged).toBe(aged);
    const left = await chainRows();
    expect(left).toHaveLength(1);
    expect(left[0]!.chain_seq).toBe(aged + 1);
    const anchor = await server.db.selectFrom('audit_chain_anchors').selectAll().executeTakeFirstOrThrow();
    expect([Number(anchor.through_seq), Number(anchor.purged)]).toEqual([aged, aged]);
    expect(left[0]!.chain_prev).toBe(anchor.through_hash);
    const report = await audit().verify();
    expect(report.findings).toEqual([]);
    expect(report.intact).toBe(true);
    expect(report.anchor?.seq).toBe(aged);
    expect(report.checked).toBe(1);
    // Nothing more is old enough: a second run purges nothing and leaves no second anchor.
    expect(await audit().purgeOlderThan(365)).toBe(0);
    expect(await server.db.selectFrom('audit_chain_anchors').select('id').execute()).toHaveLength(1);
  });

  it('seals concurrent audited writes that commit out of id order into one unbroken chain', async () => {
    const root = await rootId();
    const before = (await chainRows()).length;
    const writes = Array.from({ length: 60 }, (_, i) =>
      server.db.transaction().execute(async (trx) => {
        await recordAudit(trx, { actorUserId: null, requestId: `req-${i}`, ip: '127.0.0.1' }, { unitId: root, action: 'test.concurrent', targetType: 'test', targetId: String(i), after: { i, note: '并发 "写入"' } });
        // Hold the transaction open a little: ids are taken at insert, commits land in another order.
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 40)));
      }),
    );
    const sealers = Array.from({ length: 6 }, (_, i) => new Promise((r) => setTimeout(r, i * 15)).then(() => audit().seal()));
    await Promise.all([...writes, ...sealers]);
    await audit().seal();
    const rows = await chainRows();
    expect(rows.length).toBe(before + 60);
    const first = rows[0]!.chain_seq!;
    expect(rows.map((r) => r.chain_seq)).toEqual(rows.map((_, i) => first + i));
    expect((await server.db.selectFrom('audit_log').select('id').where('chain_seq', 'is', null).execute()).length).toBe(0);
    const report = await audit().verify();
    expect(report.findings).toEqual([]);
    expect(report.intact).toBe(true);
    expect(report.head?.seq).toBe(rows.at(-1)!.chain_seq);
    expect(report.head?.hash).toBe(rows.at(-1)!.chain_hash);
  });

  it('hashes each row over the previous hash and the row, SM3 where offered', async () => {
    expect(audit().alg).toBe(crypto.getHashes().includes('sm3') ? 'sm3' : 'sha256');
    const [a, b] = (await chainRows()).slice(-2);
    expect(b!.chain_prev).toBe(a!.chain_hash);
    expect(b!.chain_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b!.chain_alg).toBe(audit().alg);
    vi.spyOn(crypto, 'getHashes').mockReturnValue(['sha256']);
    expect(resolveChainAlg('auto')).toBe('sha256');
    expect(() => loadConfig({ TIANFU_AUDIT_HASH: 'sm3' }, os.tmpdir())).toThrow(/TIANFU_AUDIT_HASH="sm3" asks for SM3/);
  });

  it('finds an edited row, naming its id and seq', async () => {
    const target = (await chainRows()).at(-10)!;
    const report = await tampered((trx) => sql`update audit_log set after = '{"i": 999}' where id = ${target.id}`.execute(trx));
    expect(report.intact).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'edited', id: target.id, seq: target.chain_seq })]);
    // Even a microsecond moved in the time is an edit.
    const moved = await tampered((trx) => sql`update audit_log set at = at + interval '1 microsecond' where id = ${target.id}`.execute(trx));
    expect(moved.findings.map((f) => [f.kind, f.id])).toEqual([['edited', target.id]]);
  });

  it('finds a row edited with its hash recomputed: the next row no longer links', async () => {
    const rows = await chainRows();
    const target = rows.at(-5)!;
    const report = await tampered(async (trx) => {
      await sql`update audit_log set action = 'covered.up' where id = ${target.id}`.execute(trx);
      const fields = await sql<{ id: number; unit_id: string; at_text: string; actor_user_id: string | null; action: string; target_type: string; target_id: string | null; before_text: string | null; after_text: string | null; request_id: string | null; ip: string | null }>`
        select id, unit_id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_text, actor_user_id, action, target_type, target_id,
          before::text as before_text, after::text as after_text, request_id, ip from audit_log where id = ${target.id}`.execute(trx);
      const forged = chainHash(target.chain_alg as 'sm3' | 'sha256', target.chain_prev!, target.chain_seq!, fields.rows[0]!);
      await sql`update audit_log set chain_hash = ${forged} where id = ${target.id}`.execute(trx);
    });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'relinked', seq: target.chain_seq! + 1 })]);
  });

  it('finds a deleted row, and deleted newest rows, by the gap they leave', async () => {
    const rows = await chainRows();
    const middle = rows.at(-20)!;
    const gap = await tampered((trx) => trx.deleteFrom('audit_log').where('id', '=', middle.id).execute());
    expect(gap.intact).toBe(false);
    expect(gap.findings).toEqual([expect.objectContaining({ kind: 'deleted', seq: middle.chain_seq, toSeq: middle.chain_seq })]);
    expect(gap.findings[0]!.en).toContain(`chain seq ${middle.chain_seq} missing`);
    const newest = rows.slice(-2);
    const tail = await tampered((trx) => trx.deleteFrom('audit_log').where('chain_seq', '>=', newest[0]!.chain_seq).execute());
    expect(tail.findings).toEqual([expect.objectContaining({ kind: 'deleted', seq: newest[0]!.chain_seq, toSeq: newest[1]!.chain_seq })]);
  });

  it('finds rows inserted behind the sealer’s back with a forged seq, even with a well-made hash', async () => {
    const rows = await chainRows();
    const last = rows.at(-1)!;
    const root = await rootId();
    const fields = { id: 9_000_001, unit_id: root, at_text: '2025-01-01T00:00:00.000000Z', actor_user_id: null, action: 'forged.row', target_type: 'test', target_id: null, before_text: null, after_text: null, request_id: null, ip: null };
    const seq = last.chain_seq! + 1;
    const hash = chainHash('sha256', last.chain_hash!, seq, fields);
    const report = await tampered((trx) =>
      sql`insert into audit_log (unit_id, id, at, action, target_type, chain_seq, chain_alg, chain_prev, chain_hash)
          overriding system value values (${root}, ${fields.id}, '2025-01-01T00:00:00Z', 'forged.row', 'test', ${seq}, 'sha256', ${last.chain_hash}, ${hash})`.execute(trx),
    );
    expect(report.findings.map((f) => f.kind)).toEqual(['forged']);
    expect(report.findings[0]!.seq).toBe(seq);
    // A seq inside the purged range cannot hide there either.
    const below = await tampered((trx) =>
      sql`insert into audit_log (unit_id, id, at, action, target_type, chain_seq, chain_alg, chain_prev, chain_hash)
          overriding system value values (${root}, ${fields.id}, now(), 'forged.row', 'test', 1, 'sha256', ${GENESIS}, ${GENESIS})`.execute(trx),
    );
    expect(below.findings).toEqual([expect.objectContaining({ kind: 'forged', id: fields.id, seq: 1 })]);
    // And the sealer will not hand out a seq a forged row already holds: it stops, loudly.
    await sql`insert into audit_log (unit_id, id, at, action, target_type, chain_seq, chain_alg, chain_prev, chain_hash)
          overriding system value values (${root}, ${fields.id}, now(), 'forged.row', 'test', ${seq}, 'sha256', ${last.chain_hash}, ${hash})`.execute(server.db);
    await recordAudit(server.db, { actorUserId: null }, { unitId: root, action: 'test.after-forgery', targetType: 'test' });
    await expect(audit().seal()).rejects.toThrow(/taken by a row the sealer did not write/);
    await server.db.deleteFrom('audit_log').where('id', '=', fields.id).execute();
    expect((await audit().seal()).sealed).toBe(1);
    expect((await audit().verify()).intact).toBe(true);
  });

  it('reports rows left unsealed past the threshold', async () => {
    const root = await rootId();
    const report = await tampered((trx) => sql`insert into audit_log (unit_id, at, action, target_type) values (${root}, now() - interval '1 hour', 'late.row', 'test')`.execute(trx));
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'unsealed' })]);
    expect(report.unsealed).toBe(1);
    const lenient = await tampered((trx) => sql`insert into audit_log (unit_id, at, action, target_type) values (${root}, now() - interval '1 hour', 'late.row', 'test')`.execute(trx), { maxUnsealedMinutes: 120 });
    expect(lenient.intact).toBe(true);
  });

  it('keeps verifying after the hash setting changes: each row keeps its own algorithm', async () => {
    const root = await rootId();
    const other = audit().alg === 'sm3' ? 'sha256' : 'sm3';
    await recordAudit(server.db, { actorUserId: null }, { unitId: root, action: 'test.switch', targetType: 'test' });
    const switched = new AuditService(server.db, server.services.alliance, { hash: other });
    expect((await switched.seal()).sealed).toBe(1);
    await recordAudit(server.db, { actorUserId: null }, { unitId: root, action: 'test.switch-back', targetType: 'test' });
    await audit().seal();
    const algs = (await chainRows()).slice(-2).map((r) => r.chain_alg);
    expect(algs).toEqual([other, audit().alg]);
    expect((await switched.verify()).intact).toBe(true);
    expect((await audit().verify()).intact).toBe(true);
  });

  it('GET /api/audit/verify answers the root’s admins and supervisors, and no one else', async () => {
    const admin = await server.as('admin');
    const res = await admin.get('/api/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ intact: true, findings: [], findingCount: 0 });
    expect(res.body.head.seq).toBe((await chainRows()).at(-1)!.chain_seq);
    expect((await (await server.as('supervisor')).get('/api/audit/verify')).status).toBe(200);
    for (const who of ['mianyang_admin', 'chengdu_admin', 'jinjiang_reporter']) {
      const denied = await (await server.as(who)).get('/api/audit/verify');
      expect(denied.status, who).toBe(403);
      expect(denied.body.detail).toContain('根单位');
    }
  });

  it('the retention purge refuses to erase a stretch that does not verify', async () => {
    const count = async () => Number((await sql<{ n: number }>`select count(*) as n from audit_log`.execute(server.db)).rows[0]!.n);
    const before = await count();
    // Back-dating every row is itself an edit: the purge must keep the evidence, not launder it.
    await sql`update audit_log set at = at - interval '400 days'`.execute(server.db);
    await expect(audit().purgeOlderThan(365)).rejects.toThrow(/does not verify; not purged/);
    expect(await count()).toBe(before);
  });
});
