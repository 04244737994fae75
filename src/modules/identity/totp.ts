import crypto from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { digest } from './secrets.ts';

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s, what every authenticator app speaks) through the otpauth
 * library, and one-time recovery codes. Pure functions: the replay guard lives in the database.
 */

export const TOTP_ISSUER = '天府融媒';
const PERIOD = 30;

const totpFor = (secretBase32: string, username: string) =>
  new OTPAuth.TOTP({ issuer: TOTP_ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secretBase32) });

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString();
}

/**
 * The time step a code belongs to, if it is right within one step either way (clock drift), else
 * null. Callers must still refuse a step already used.
 */
export function totpStep(secretBase32: string, username: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, username).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/I/L: codes get read off paper.
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Ten codes like "K7QP-M2XD-9RTW" (about 59 bits each): shown once, kept only as digests. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(crypto.randomBytes(12), (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** Spaces, dashes and case do not matter when a person types a recovery code back. */
export const recoveryCodeDigest = (code: string) => digest(`recovery:${code.replace(/[\s-]/g, '').toUpperCase()}`);

export const looksLikeTotp = (code: string) => /^\d{6}$/.test(code.replace(/\s/g, ''));
