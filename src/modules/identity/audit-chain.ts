import crypto from 'node:crypto';

/**
 * 审计日志哈希链: hash_n = H(hash_{n-1} "\n" canonical(row_n)), in the order the sealer gives
 * (chain_seq), not insertion order, so audited transactions never wait on each other. Each row keeps the
 * algorithm it was sealed with; SM3 (GB/T 32905) where this Node's OpenSSL offers it, else SHA-256.
 */
export type ChainAlg = 'sm3' | 'sha256';
export const chainAlgs: readonly ChainAlg[] = ['sm3', 'sha256'];

/** The "previous hash" of the first row ever sealed. */
export const GENESIS = '0'.repeat(64);

export const sm3Available = () => crypto.getHashes().includes('sm3');

export function resolveChainAlg(setting: 'auto' | ChainAlg | undefined): ChainAlg {
  if (setting === 'sm3' || setting === 'sha256') return setting;
  return sm3Available() ? 'sm3' : 'sha256';
}

/**
 * A row's fields as the database renders them: timestamps to the microsecond in UTC and jsonb in its own
 * normalised text, so the same row hashes the same on PGlite, on a PostgreSQL server and after a restore.
 */
export interface ChainRowFields {
  id: number;
  unit_id: string;
  at_text: string;
  actor_user_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before_text: string | null;
  after_text: string | null;
  request_id: string | null;
  ip: string | null;
}

export interface SealedRow extends ChainRowFields {
  chain_seq: number;
  chain_alg: string | null;
  chain_prev: string | null;
  chain_hash: string | null;
}

/** The seq is inside the hash too: moving a row to another place in the chain breaks it. */
export function canonicalRow(seq: number, r: ChainRowFields): string {
  return JSON.stringify([
    'tianfu-audit-v1',
    String(seq),
    String(r.id),
    r.unit_id,
    r.at_text,
    r.actor_user_id,
    r.action,
    r.target_type,
    r.target_id,
    r.before_text,
    r.after_text,
    r.request_id,
    r.ip,
  ]);
}

export function chainHash(alg: ChainAlg, prev: string, seq: number, row: ChainRowFields): string {
  return crypto.createHash(alg).update(`${prev}\n${canonicalRow(seq, row)}`, 'utf8').digest('hex');
}

export type FindingKind = 'edited' | 'deleted' | 'relinked' | 'forged' | 'incomplete' | 'unknown_alg' | 'unsealed' | 'head';

export interface ChainFinding {
  kind: FindingKind;
  /** The chain place concerned (or the first of a missing run). */
  seq: number | null;
  /** The last seq of a missing run. */
  toSeq?: number;
  id: number | null;
  unitId?: string;
  zh: string;
  en: string;
}

export interface ChainStart {
  seq: number;
  hash: string;
}

/**
 * Walks sealed rows in chain order and collects what does not add up. After a finding it carries on
 * from what is stored, so one edit or one deletion gives one finding, not a cascade down the chain.
 */
export class ChainWalker {
  readonly findings: ChainFinding[] = [];
  checked = 0;
  private expectedSeq: number;
  private prev: string;
  lastSeq: number;
  lastHash: string;

  constructor(start: ChainStart) {
    this.expectedSeq = start.seq + 1;
    this.prev = start.hash;
    this.lastSeq = start.seq;
    this.lastHash = start.hash;
  }

  check(row: SealedRow) {
    this.checked++;
    const seq = row.chain_seq;
    const where = { seq, id: row.id, unitId: row.unit_id };
    if (seq < this.expectedSeq) {
      this.findings.push({ kind: 'forged', ...where, zh: `第 ${seq} 号重复或位置错乱（行 id ${row.id}）`, en: `seq ${seq} appears again or out of order (row id ${row.id})` });
      return;
    }
    const gap = seq > this.expectedSeq;
    if (gap) {
      const from = this.expectedSeq;
      const to = seq - 1;
      this.findings.push({
        kind: 'deleted',
        seq: from,
        toSeq: to,
        id: null,
        zh: `链中缺少第 ${from === to ? from : `${from}–${to}`} 号（${to - from + 1} 行被删除）`,
        en: `chain seq ${from === to ? from : `${from}–${to}`} missing (${to - from + 1} row${to === from ? '' : 's'} deleted)`,
      });
    }
    if (!row.chain_alg || !row.chain_prev || !row.chain_hash) {
      this.findings.push({ kind: 'incomplete', ...where, zh: `第 ${seq} 号（行 id ${row.id}）缺少链字段`, en: `seq ${seq} (row id ${row.id}) lacks its chain fields` });
    } else if (!(chainAlgs as readonly string[]).includes(row.chain_alg) || !crypto.getHashes().includes(row.chain_alg)) {
      this.findings.push({
        kind: 'unknown_alg',
        ...where,
        zh: `第 ${seq} 号（行 id ${row.id}）的算法 ${row.chain_alg} 无法在此计算`,
        en: `seq ${seq} (row id ${row.id}) uses ${row.chain_alg}, which cannot be computed here`,
      });
    } else {
      if (!gap && row.chain_prev !== this.prev) {
        this.findings.push({
          kind: 'relinked',
          ...where,
          zh: `第 ${seq} 号（行 id ${row.id}）记录的前一哈希与第 ${seq - 1} 号不符：前一行被改动或替换`,
          en: `seq ${seq} (row id ${row.id}) does not link to seq ${seq - 1}: the row before was altered or replaced`,
        });
      }
      if (chainHash(row.chain_alg as ChainAlg, row.chain_prev, seq, row) !== row.chain_hash) {
        this.findings.push({
          kind: 'edited',
          ...where,
          zh: `第 ${seq} 号（行 id ${row.id}）内容与哈希不符：该行被改动`,
          en: `seq ${seq} (row id ${row.id}) does not match its hash: the row was edited`,
        });
      }
    }
    this.expectedSeq = seq + 1;
    this.prev = row.chain_hash ?? '';
    this.lastSeq = seq;
    this.lastHash = row.chain_hash ?? '';
  }
}
