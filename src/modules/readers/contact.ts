import { badRequest } from '../../platform/http/problem.ts';
import type { ContactChannel } from './tables.ts';

/**
 * Phone numbers are mainland China mobiles (+86, 11 digits starting 1[3-9]); written any of the usual
 * ways ("138 1234 5678", "+86-138…", "0086138…") they are kept as +8613812345678.
 */
export function normalizePhone(raw: string): string | null {
  const compact = raw.replace(/[\s\-()]/g, '');
  const national = compact.replace(/^(\+86|0086|86(?=1\d{10}$))/, '');
  return /^1[3-9]\d{9}$/.test(national) ? `+86${national}` : null;
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function normalizeEmail(raw: string): string | null {
  const e = raw.trim().toLowerCase();
  return e.length <= 254 && EMAIL.test(e) ? e : null;
}

export function normalizeContact(channel: ContactChannel, raw: string): string {
  const value = channel === 'phone' ? normalizePhone(raw) : normalizeEmail(raw);
  if (!value) {
    throw channel === 'phone'
      ? badRequest('bad_phone', '手机号格式不正确（需为中国大陆 11 位手机号）', 'Not a mainland China mobile number (+86, 11 digits)', { field: 'destination' })
      : badRequest('bad_email', '邮箱地址格式不正确', 'Not a valid email address', { field: 'destination' });
  }
  return value;
}

/** A login name is either: a phone number if it parses as one, else an email address. */
export function contactFromLogin(raw: string): { channel: ContactChannel; value: string } | null {
  const phone = normalizePhone(raw);
  if (phone) return { channel: 'phone', value: phone };
  const email = normalizeEmail(raw);
  return email ? { channel: 'email', value: email } : null;
}

/** What support staff and exports show: enough to recognise, not enough to reuse. */
export function maskContact(value: string | null): string | null {
  if (!value) return null;
  if (value.startsWith('+86')) return `${value.slice(3, 6)}****${value.slice(-4)}`;
  const [local, domain] = value.split('@');
  return `${local!.slice(0, 1)}***@${domain}`;
}
