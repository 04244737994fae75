import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { type Actor, audit, requireAccess, unit as unitRules } from '../../policies/index.ts';
import type { AllianceService } from '../alliance/service.ts';
import { type ChainAlg, type ChainFinding, ChainWalker, GENESIS, chainHash, resolveChainAlg } from './audit-chain.ts';
import * as repo from './repo.ts';

export const recordAudit: AuditRecorder = (executor, meta, entry) => repo.insertAudit(executor, meta, entry);

const SEAL_BATCH = 1000;
const VERIFY_PAGE = 2000;
/** Findings kept in a report; the count beyond is still given. */
const MAX_FINDINGS = 200;

export interface ChainReport {
  intact: boolean;
  alg: ChainAlg;
  checked: number;
  sealed: number;
  unsealed: number;
  oldestUnsealedAt: string | null;
  head: { seq: number; hash: string; sealedAt: string } | null;
  anchor: { seq: number; hash: string; purged: number; at: string } | null;
  findings: ChainFinding[];
  findingCount: number;
}

export interface VerifyOptions {
  /** Rows unsealed for longer than this are a finding: the sealer has stopped, or rows are being withheld. */
  maxUnsealedMinutes?: number;
  /** A head noted earlier (from the log or a previous run) that must still be part of the chain. */
  expect?: { seq: number; hash: string };
  onProgress?: (checked: number, total: number) => void;
}

/** 审计日志: read by admins and supervisors over their subtree; purged only past the retention window. */
export class AuditService {
  readonly alg: ChainAlg;

  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    options: { hash?: 'auto' | ChainAlg } = {},
  ) {
    this.alg = resolveChainAlg(options.hash);
  }

  async list(actor: Actor, opts: { limit: number; beforeId?: number; unitId?: string; action?: string }) {
    requireAccess(actor, audit.read);
    const scope = { unit: { id: actor.unitId, path: actor.unitPath }, subtree: true };
    if (opts.unitId) await this.alliance.requireUnitAccess({ actor, actorUserId: actor.userId }, unitRules.readAudit, opts.unitId);
    return repo.listAudit(this.db, this.alliance.unitIdsInScope(scope), opts);
  }

  /**
   * Chains every committed, unsealed row, oldest id first. Audited transactions never wait for this: a row
   * that commits after higher ids were sealed simply takes the next place in the chain.
   */
  async seal(): Promise<{ sealed: number; head: { seq: number; hash: string } | null }> {
    let sealed = 0;
    let head: { seq: number; hash: string } | null = null;
    for (;;) {
      const batch = await this.db.transaction().execute(async (trx) => {
        await repo.lockAuditChain(trx);
        const rows = await repo.unsealedAudit(trx, SEAL_BATCH);
        if (!rows.length) return { n: 0, head: null, full: false };
        let { seq, hash } = await this.chainEnd(trx);
        const updates = rows.map((row) => {
          seq += 1;
          const next = chainHash(this.alg, hash, seq, row);
          const update = { unit_id: row.unit_id, id: row.id, seq, alg: this.alg, prev: hash, hash: next };
          hash = next;
          return update;
        });
        try {
          await repo.sealAuditRows(trx, updates);
        } catch (err) {
          if ((err as { code?: string }).code === '23505') {
            throw new Error(
              `审计链第 ${updates[0]!.seq} 号之后的位置已被未经封存程序写入的行占用，请运行 tianfu audit verify / chain seq after ${updates[0]!.seq - 1} is taken by a row the sealer did not write; run tianfu audit verify`,
              { cause: err },
            );
          }
          throw err;
        }
        return { n: rows.length, head: { seq, hash }, full: rows.length === SEAL_BATCH };
      });
      sealed += batch.n;
      if (batch.head) head = batch.head;
      if (!batch.full) break;
    }
    return { sealed, head };
  }

  /** Where the next sealed row links on: the sealer's own note, else what the rows or the last purge say. */
  private async chainEnd(db: Db): Promise<{ seq: number; hash: string }> {
    const head = await repo.auditChainHead(db);
    if (head) return { seq: Number(head.seq), hash: head.hash };
    const tail = await repo.auditChainTail(db);
    if (tail?.chain_seq != null && tail.chain_hash) return { seq: Number(tail.chain_seq), hash: tail.chain_hash };
    const anchor = await repo.latestAuditAnchor(db);
    return anchor ? { seq: Number(anchor.through_seq), hash: anchor.through_hash } : { seq: 0, hash: GENESIS };
  }

  /** Recomputes the chain from the last purge's anchor (or the start) and reports what does not add up. */
  async verify(opts: VerifyOptions = {}): Promise<ChainReport> {
    const anchorRow = await repo.latestAuditAnchor(this.db);
    const start = anchorRow ? { seq: Number(anchorRow.through_seq), hash: anchorRow.through_hash } : { seq: 0, hash: GENESIS };
    const maxUnsealedMinutes = opts.maxUnsealedMinutes ?? 10;
    const counts = await repo.auditChainCounts(this.db, start.seq, new Date(Date.now() - maxUnsealedMinutes * 60_000));
    const walker = new ChainWalker(start);
    let expectSeen = false;
    /** Rows found past the sealer's head when they were read: forged, unless the sealer got there meanwhile. */
    const beyondHead: { seq: number; id: number; unitId: string; findingsBefore: number }[] = [];
    let head = await repo.auditChainHead(this.db);
    const walk = async () => {
      let walked = 0;
      for (let after = walker.lastSeq; ; ) {
        const page = await repo.sealedAuditPage(this.db, after, VERIFY_PAGE);
        for (const row of page) {
          const seq = Number(row.chain_seq);
          const findingsBefore = walker.findings.length;
          walker.check({ ...row, chain_seq: seq });
          if ((!head || seq > Number(head.seq)) && beyondHead.length < MAX_FINDINGS) beyondHead.push({ seq, id: row.id, unitId: row.unit_id, findingsBefore });
          if (opts.expect && seq === opts.expect.seq) {
            expectSeen = true;
            if (row.chain_hash !== opts.expect.hash) {
              walker.findings.push({
                kind: 'head',
                seq,
                id: row.id,
                zh: `第 ${seq} 号的哈希与先前记下的不同：链自那以后被重写`,
                en: `seq ${seq} no longer has the hash noted earlier: the chain was rewritten since`,
              });
            }
          }
        }
        walked += page.length;
        if (page.length) opts.onProgress?.(walker.checked, Math.max(counts.sealed, walker.checked));
        if (page.length < VERIFY_PAGE) return walked;
        after = Number(page.at(-1)!.chain_seq);
      }
    };
    await walk();
    // A sealer may have moved the head while we walked (it writes rows and head in one transaction):
    // catch up until the rows reach the head as it stands now, or nothing more is there.
    for (;;) {
      head = await repo.auditChainHead(this.db);
      if (!head || walker.lastSeq >= Number(head.seq)) break;
      if ((await walk()) === 0) break;
    }
    const findings = walker.findings;
    // Rows past the head carry seqs the sealer never gave out: inserted behind its back, however well hashed.
    const forged = head ? beyondHead.filter((r) => r.seq > Number(head!.seq)) : [];
    for (const r of forged.reverse()) {
      const own = findings.findIndex((f, i) => i >= r.findingsBefore && f.seq === r.seq && f.kind !== 'deleted');
      if (own >= 0) findings.splice(own, 1);
      findings.push({
        kind: 'forged',
        seq: r.seq,
        id: r.id,
        unitId: r.unitId,
        zh: `第 ${r.seq} 号（行 id ${r.id}）超出封存程序发出的序号：伪造插入的行`,
        en: `seq ${r.seq} (row id ${r.id}) is beyond any seq the sealer gave out: a forged row`,
      });
    }
    if (opts.expect && !expectSeen && opts.expect.seq > start.seq) {
      findings.push({
        kind: 'head',
        seq: opts.expect.seq,
        id: null,
        zh: `先前记下的第 ${opts.expect.seq} 号已不在链中`,
        en: `seq ${opts.expect.seq}, noted earlier, is no longer in the chain`,
      });
    }
    if (head) {
      const headSeq = Number(head.seq);
      if (walker.lastSeq < headSeq) {
        findings.push({
          kind: 'deleted',
          seq: walker.lastSeq + 1,
          toSeq: headSeq,
          id: null,
          zh: `链尾缺少第 ${walker.lastSeq + 1}–${headSeq} 号：最新的行被删除`,
          en: `chain seq ${walker.lastSeq + 1}–${headSeq} missing at the end: the newest rows were deleted`,
        });
      } else if (walker.lastSeq === headSeq && walker.lastHash !== head.hash) {
        findings.push({ kind: 'head', seq: headSeq, id: null, zh: `第 ${headSeq} 号与封存记录的哈希不符`, en: `seq ${headSeq} differs from the hash the sealer noted` });
      }
    } else if (walker.checked > 0) {
      findings.push({ kind: 'head', seq: null, id: null, zh: '封存记录缺失，但已有封存的行', en: 'the sealer’s head record is missing although sealed rows exist' });
    }
    // A purge that ran while we walked removed rows on purpose: its anchor now covers them.
    const anchorNow = await repo.latestAuditAnchor(this.db);
    if (anchorNow && Number(anchorNow.through_seq) > start.seq) {
      const purgedThrough = Number(anchorNow.through_seq);
      for (let i = findings.length - 1; i >= 0; i--) {
        const f = findings[i]!;
        if (f.kind === 'deleted' && (f.toSeq ?? f.seq ?? 0) <= purgedThrough) findings.splice(i, 1);
      }
    }
    if (counts.below_anchor > 0) {
      for (const r of await repo.auditRowsBelowAnchor(this.db, start.seq, 20)) {
        findings.push({
          kind: 'forged',
          seq: Number(r.chain_seq),
          id: r.id,
          unitId: r.unit_id,
          zh: `行 id ${r.id} 的序号 ${r.chain_seq} 属于已清理的范围：伪造插入的行`,
          en: `row id ${r.id} claims seq ${r.chain_seq}, inside the purged range: a forged row`,
        });
      }
    }
    if (counts.half_sealed > 0) {
      for (const r of await repo.halfSealedAudit(this.db, 20)) {
        findings.push({ kind: 'incomplete', seq: null, id: r.id, unitId: r.unit_id, zh: `行 id ${r.id} 有哈希却没有序号`, en: `row id ${r.id} has chain fields but no seq` });
      }
    }
    if (counts.stale > 0) {
      findings.push({
        kind: 'unsealed',
        seq: null,
        id: null,
        zh: `${counts.stale} 行超过 ${maxUnsealedMinutes} 分钟仍未封存（封存任务是否在运行？可运行 tianfu audit seal）`,
        en: `${counts.stale} rows unsealed for over ${maxUnsealedMinutes} minutes (is the sealer running? try tianfu audit seal)`,
      });
    }
    const iso = (d: Date | string) => new Date(d).toISOString();
    return {
      intact: findings.length === 0,
      alg: this.alg,
      checked: walker.checked,
      sealed: counts.sealed,
      unsealed: counts.unsealed,
      oldestUnsealedAt: counts.oldest_unsealed ? iso(counts.oldest_unsealed) : null,
      head: head ? { seq: Number(head.seq), hash: head.hash, sealedAt: iso(head.sealed_at) } : null,
      anchor: anchorRow ? { seq: Number(anchorRow.through_seq), hash: anchorRow.through_hash, purged: Number(anchorRow.purged), at: iso(anchorRow.at) } : null,
      findings: findings.slice(0, MAX_FINDINGS),
      findingCount: findings.length,
    };
  }

  /** The chain's state for the console: the whole alliance's chain, so only the root's overseers see it. */
  async chainStatus(actor: Actor, opts: { maxUnsealedMinutes?: number } = {}) {
    requireAccess(actor, audit.verifyChain);
    return this.verify(opts);
  }

  /**
   * The nightly retention job: rows older than the window go; 等保 needs at least 180 days kept. It seals
   * first, removes only the chain's old end, and refuses to purge a stretch that does not verify, so
   * retention never erases the evidence of tampering.
   */
  async purgeOlderThan(days: number): Promise<number> {
    await this.seal();
    const cutoff = new Date(Date.now() - days * 24 * 3600 * 1000);
    return this.db.transaction().execute(async (trx) => {
      await repo.lockAuditChain(trx);
      const through = await repo.auditPurgeBoundary(trx, cutoff);
      const anchor = await repo.latestAuditAnchor(trx);
      const start = anchor ? { seq: Number(anchor.through_seq), hash: anchor.through_hash } : { seq: 0, hash: GENESIS };
      if (through === null || through <= start.seq) return 0;
      const walker = new ChainWalker(start);
      for (let after = start.seq; after < through; ) {
        const page = (await repo.sealedAuditPage(trx, after, VERIFY_PAGE)).filter((r) => Number(r.chain_seq) <= through);
        for (const row of page) walker.check({ ...row, chain_seq: Number(row.chain_seq) });
        if (page.length < VERIFY_PAGE) break;
        after = Number(page.at(-1)!.chain_seq);
      }
      if (walker.findings.length || walker.lastSeq !== through) {
        throw new Error(
          `审计链第 ${start.seq + 1}–${through} 号校验未通过，本次不清理 / audit chain seq ${start.seq + 1}–${through} does not verify; not purged: ${walker.findings[0]?.en ?? 'rows missing'}`,
        );
      }
      return repo.purgeAuditThrough(trx, through, walker.lastHash, cutoff);
    });
  }
}
