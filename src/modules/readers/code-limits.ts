import crypto from 'node:crypto';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { Problem } from '../../platform/http/problem.ts';
import { digest } from '../identity/secrets.ts';
import * as repo from './repo.ts';
import type { ContactChannel } from './tables.ts';
import type { UnitDirectory } from './units.ts';

const HOUR = 3600;
const DAY = 86_400;
/** A challenge is solved in seconds; five minutes covers a slow phone and a distracted reader. */
export const CHALLENGE_TTL_SECONDS = 300;
export const POW_ALGORITHM = 'SHA-256';

/** How many codes may go where. Counted per clock hour and day (UTC), in the database all processes share. */
export interface CodeLimitSettings {
  /** Between two codes to one phone or email. */
  resendAfterSeconds: number;
  destinationHourly: number;
  destinationDaily: number;
  /** Per anonymous device id (the tracker's tf_device), when the client sends one. */
  deviceHourly: number;
  deviceDaily: number;
  /** Per client IP: a hard cap, high enough for a county office or a mobile carrier's NAT. */
  ipHourly: number;
  ipDaily: number;
  /** Codes per hour for the whole platform, per channel (TIANFU_SMS_HOURLY_BUDGET, TIANFU_EMAIL_HOURLY_BUDGET). */
  hourlyBudget: Record<ContactChannel, number>;
  /** Sends per IP (or device) per hour before a proof of work is asked for; 0 asks always. */
  powAfter: number;
  /** Leading zero bits the SHA-256 of "<challenge>:<nonce>" must have. */
  powBits: number;
}

export const defaultCodeLimits: CodeLimitSettings = {
  resendAfterSeconds: 60,
  destinationHourly: 5,
  destinationDaily: 10,
  deviceHourly: 5,
  deviceDaily: 10,
  ipHourly: 30,
  ipDaily: 150,
  hourlyBudget: { phone: 500, email: 500 },
  powAfter: 3,
  powBits: 16,
};

/** Who asks for a code, as far as the server can tell, and the proof of work when one was asked for. */
export interface CodeClient {
  ip: string;
  deviceId?: string;
  pow?: { challenge: string; nonce: string };
}

/** Leading zero bits of a digest. */
function zeroBits(hash: Buffer): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** Does SHA-256("<challenge>:<nonce>") start with `difficulty` zero bits? (The browser and app do the same.) */
export function proofHolds(challenge: string, nonce: string, difficulty: number): boolean {
  return zeroBits(crypto.createHash('sha256').update(`${challenge}:${nonce}`).digest()) >= difficulty;
}

/** Finds a nonce by counting up: what a client does (tests and the CLI use it; browsers run account.js). */
export function solveProof(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) if (proofHolds(challenge, String(n), difficulty)) return String(n);
}

function waitText(seconds: number) {
  if (seconds < 60) return { zh: `${seconds} 秒`, en: `${seconds} s` };
  if (seconds < HOUR) return { zh: `${Math.ceil(seconds / 60)} 分钟`, en: `${Math.ceil(seconds / 60)} min` };
  return { zh: `${Math.ceil(seconds / HOUR)} 小时`, en: `${Math.ceil(seconds / HOUR)} h` };
}

/** Seconds until the current clock window of `seconds` closes. */
const windowLeft = (seconds: number) => seconds - (Math.floor(Date.now() / 1000) % seconds);

const throttled = (retryAfter: number, zh: string, en: string, code = 'code_throttled') => new Problem(429, code, zh, en, { retryAfter });

/** Thrown inside the counting transaction so that nothing it counted stays counted. */
class ProofNeeded extends Error {
  constructor(readonly failed: boolean) {
    super(failed ? 'proof of work failed' : 'proof of work required');
  }
}
class BudgetSpent extends Error {
  constructor(readonly channel: ContactChannel, readonly budget: number) {
    super(`${channel} hourly budget spent`);
  }
}

/**
 * 验证码限流: decides whether a code may go out. Every limit is a counter raised by one atomic statement
 * (repo.takeFromWindow / takeSpacing) inside one transaction, so concurrent requests from any number of
 * API processes cannot all slip through, and a refusal rolls back whatever the request had counted.
 * Past a threshold the client must first solve a hashcash-style proof of work (428 with the challenge).
 * None of the answers depend on whether an account exists for the destination.
 */
export class CodeLimiter {
  constructor(
    private readonly db: Db,
    private readonly settings: CodeLimitSettings,
    private readonly units: UnitDirectory,
    private readonly audit: AuditRecorder,
    private readonly warn: (line: string) => void,
  ) {}

  /** Counts one send to `destinationHash`, or throws the 429 / 428 the client should get. */
  async reserve(channel: ContactChannel, destinationHash: string, client: CodeClient): Promise<void> {
    try {
      await this.db.transaction().execute((trx) => this.count(trx, channel, destinationHash, client));
    } catch (err) {
      if (err instanceof ProofNeeded) throw await this.challenge(err.failed);
      if (err instanceof BudgetSpent) {
        await this.alertOnce(err.channel, err.budget);
        const left = windowLeft(HOUR);
        throw throttled(left, `验证码发送繁忙，请 ${waitText(left).zh}后再试`, `Code sending is paused for now; try again in ${waitText(left).en}`, 'code_budget_exhausted');
      }
      throw err;
    }
  }

  // The order of the counters is the same in every request, so two transactions never wait on each other in a circle.
  private async count(trx: Db, channel: ContactChannel, destinationHash: string, client: CodeClient) {
    const s = this.settings;
    const dest = `dest:${destinationHash}`;
    const wait = await repo.takeSpacing(trx, dest, s.resendAfterSeconds);
    if (wait !== null) throw throttled(wait, `验证码已发送，请 ${wait} 秒后再试`, `A code was just sent; try again in ${wait} s`);
    const tooMany = (seconds: number) => {
      const left = windowLeft(seconds);
      return throttled(left, `获取验证码次数过多，请 ${waitText(left).zh}后再试`, `Too many codes asked for; try again in ${waitText(left).en}`);
    };
    const take = async (key: string, seconds: number, cap: number) => {
      const n = await repo.takeFromWindow(trx, key, seconds, cap);
      if (n === null) throw tooMany(seconds);
      return n;
    };
    await take(dest, HOUR, s.destinationHourly);
    await take(dest, DAY, s.destinationDaily);
    let deviceHour = 0;
    if (client.deviceId) {
      const device = `device:${digest(`device:${client.deviceId}`)}`;
      deviceHour = await take(device, HOUR, s.deviceHourly);
      await take(device, DAY, s.deviceDaily);
    }
    const ip = `ip:${digest(`ip:${client.ip}`)}`;
    const ipHour = await take(ip, HOUR, s.ipHourly);
    await take(ip, DAY, s.ipDaily);
    const budget = s.hourlyBudget[channel];
    const used = await repo.takeFromWindow(trx, `global:${channel}`, HOUR, budget);
    if (used === null) throw new BudgetSpent(channel, budget);

    // A proof, when sent, is always checked and spent; without one it is needed past the thresholds,
    // and for everyone once half the platform's hourly budget is gone.
    if (client.pow) {
      const row = await repo.useChallenge(trx, client.pow.challenge);
      if (!row || !proofHolds(client.pow.challenge, client.pow.nonce, row.difficulty)) throw new ProofNeeded(true);
    } else if (ipHour > s.powAfter || deviceHour > s.powAfter || used > budget / 2) {
      throw new ProofNeeded(false);
    }
  }

  /** A fresh single-use challenge, as the 428 the client answers by solving it and asking again. */
  private async challenge(failed: boolean): Promise<Problem> {
    const id = crypto.randomBytes(18).toString('base64url');
    const expiresAt = new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000);
    // Challenges are cheap to ask for, so the expired ones go as new ones are made.
    await repo.purgeChallenges(this.db, new Date(Date.now() - 600_000));
    await repo.insertChallenge(this.db, { id, difficulty: this.settings.powBits, expiresAt });
    const challenge = { id, algorithm: POW_ALGORITHM, difficulty: this.settings.powBits, expiresAt: expiresAt.toISOString(), expiresInSeconds: CHALLENGE_TTL_SECONDS };
    return failed
      ? new Problem(428, 'challenge_failed', '安全验证未通过或已过期，请重试', 'The proof of work was wrong, used or expired; solve the new challenge', { challenge })
      : new Problem(428, 'challenge_required', '请先完成安全验证再获取验证码', 'Solve the proof-of-work challenge, then ask again with it', { challenge });
  }

  /** The operator hears once per hour and channel that the budget ran out: a log line and an audit row. */
  private async alertOnce(channel: ContactChannel, budget: number) {
    const root = await this.units.root();
    const first = await this.db.transaction().execute(async (trx) => {
      if (!(await repo.markOnce(trx, `alert:${channel}`, HOUR))) return false;
      if (root) {
        await this.audit(trx, { actorUserId: null }, { unitId: root.id, action: 'reader.code_budget_exhausted', targetType: 'reader_code_budget', targetId: channel, after: { channel, hourlyBudget: budget } });
      }
      return true;
    });
    if (first) {
      this.warn(
        `读者验证码本小时发送额度已用完（${channel}，${budget} 条），其余请求答 429 至整点 / reader code ${channel} hourly budget of ${budget} reached; further requests get 429 until the hour turns (TIANFU_${channel === 'phone' ? 'SMS' : 'EMAIL'}_HOURLY_BUDGET)`,
      );
    }
  }

  /** The limit rows about a destination (account erasure), inside the caller's transaction. */
  forget(db: Db, destinationHashes: string[]) {
    return repo.deleteLimitsFor(db, destinationHashes.map((h) => `dest:${h}`));
  }
}
