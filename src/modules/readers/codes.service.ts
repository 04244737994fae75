import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../../platform/db/database.ts';
import { Problem, badRequest } from '../../platform/http/problem.ts';
import { digest } from '../identity/secrets.ts';
import type { CodeClient, CodeLimiter } from './code-limits.ts';
import type { CodeDelivery } from './delivery.ts';
import * as repo from './repo.ts';
import type { ContactChannel } from './tables.ts';

export const CODE_TTL_MINUTES = 5;
export const MAX_CODE_ATTEMPTS = 5;

const scrypt = promisify(crypto.scrypt) as (password: crypto.BinaryLike, salt: crypto.BinaryLike, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;
// A six-digit code has a million values, so a plain digest could be reversed in a blink from a leaked
// table; scrypt (N=2^14, ~20 ms) with a salt per code makes the five minutes it lives too short for that.
const CODE_COST = { N: 2 ** 14, r: 8, p: 1 };

async function hashCode(code: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(code, salt, 32, CODE_COST);
  return `${salt.toString('base64url')}$${key.toString('base64url')}`;
}

async function codeMatches(code: string, stored: string): Promise<boolean> {
  const [salt, key] = stored.split('$');
  if (!salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(code, Buffer.from(salt, 'base64url'), expected.length, CODE_COST);
  return crypto.timingSafeEqual(actual, expected);
}

/** Codes are looked up by a digest of where they went, so the table never holds a phone number. */
export const destinationHash = (channel: ContactChannel, value: string) => digest(`${channel}:${value}`);

/** 验证码: issue, deliver and check one-time codes for sign-up and sign-in. */
export class CodeService {
  constructor(
    private readonly db: Db,
    private readonly delivery: CodeDelivery,
    private readonly limiter: CodeLimiter,
    private readonly resendAfterSeconds: number,
  ) {}

  /** Sends a code unless a limit says no (429) or a proof of work is due first (428): see code-limits.ts. */
  async issue(channel: ContactChannel, value: string, client: CodeClient) {
    const hash = destinationHash(channel, value);
    await this.limiter.reserve(channel, hash, client);
    const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
    await repo.purgeOldCodes(this.db, new Date(Date.now() - 86_400_000));
    await repo.insertCode(this.db, { destinationHash: hash, channel, codeHash: await hashCode(code), expiresAt: new Date(Date.now() + CODE_TTL_MINUTES * 60_000) });
    const provider = channel === 'phone' ? this.delivery.sms : this.delivery.email;
    try {
      await provider.sendCode({ channel, to: value, code, ttlMinutes: CODE_TTL_MINUTES });
    } catch (err) {
      throw new Problem(502, 'code_delivery_failed', '验证码发送失败，请稍后再试', `The code could not be delivered: ${(err as Error).message}`);
    }
    return { expiresInSeconds: CODE_TTL_MINUTES * 60, resendAfterSeconds: this.resendAfterSeconds };
  }

  /**
   * Checks the newest code for the destination and consumes it. Five wrong tries burn the code; an old
   * or used code is refused the same way as a wrong one, so nothing is learnt from the answer.
   */
  async verify(channel: ContactChannel, value: string, code: string): Promise<void> {
    const row = await repo.latestCode(this.db, destinationHash(channel, value));
    const refuse = () => badRequest('bad_code', '验证码错误或已过期', 'The code is wrong or expired', { field: 'code' });
    if (!row || row.consumed_at || new Date(row.expires_at) < new Date()) throw refuse();
    if (row.attempts >= MAX_CODE_ATTEMPTS) {
      throw badRequest('code_attempts_exceeded', '错误次数过多，请重新获取验证码', 'Too many wrong tries; ask for a new code', { field: 'code' });
    }
    if (!(await codeMatches(code, row.code_hash))) {
      const { attempts } = await repo.bumpCodeAttempts(this.db, row.id);
      if (attempts >= MAX_CODE_ATTEMPTS) throw badRequest('code_attempts_exceeded', '错误次数过多，请重新获取验证码', 'Too many wrong tries; ask for a new code', { field: 'code' });
      throw refuse();
    }
    // Two requests racing with the same right code: only one consumes it.
    const consumed = await repo.consumeCode(this.db, row.id);
    if (!consumed.numUpdatedRows) throw refuse();
  }

  /** Drops every code sent to the contacts (account erasure), inside the caller's transaction. */
  async forget(db: Db, contacts: { channel: ContactChannel; value: string | null }[]) {
    const hashes = contacts.filter((c) => c.value).map((c) => destinationHash(c.channel, c.value!));
    await repo.deleteCodesFor(db, hashes);
    await this.limiter.forget(db, hashes);
  }
}
