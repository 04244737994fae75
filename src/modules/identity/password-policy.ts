import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Problem } from '../../platform/http/problem.ts';

/**
 * Staff password rules (等保 2.0 level 3, 身份鉴别: 口令具有复杂度要求): at least 10 characters, at least
 * three of the four classes (upper case, lower case, digits, symbols), not containing the username, and
 * not one of the ~49,000 passwords people use most (the list shipped in @zxcvbn-ts/language-common,
 * read from disk once, never fetched).
 */

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    const file = createRequire(import.meta.url).resolve('@zxcvbn-ts/language-common/src/passwords.json');
    common = new Set((JSON.parse(fs.readFileSync(file, 'utf8')) as string[]).map((p) => p.toLowerCase()));
  }
  return common;
}

export interface PasswordIssue {
  code: 'too_short' | 'too_long' | 'few_classes' | 'contains_username' | 'common';
  zh: string;
  en: string;
}

export function characterClasses(password: string): number {
  return [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** The first rule a password breaks, or null when it is acceptable. */
export function passwordIssue(password: string, username: string): PasswordIssue | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return { code: 'too_short', zh: `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符`, en: `The password needs at least ${MIN_PASSWORD_LENGTH} characters` };
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return { code: 'too_long', zh: `密码不能超过 ${MAX_PASSWORD_LENGTH} 个字符`, en: `The password may have at most ${MAX_PASSWORD_LENGTH} characters` };
  }
  if (characterClasses(password) < 3) {
    return {
      code: 'few_classes',
      zh: '密码须包含大写字母、小写字母、数字、符号中的至少三类',
      en: 'The password needs at least three of: upper-case letters, lower-case letters, digits, symbols',
    };
  }
  const name = username.trim().toLowerCase();
  const lower = password.toLowerCase();
  if (name && (lower === name || (name.length >= 3 && lower.includes(name)))) {
    return { code: 'contains_username', zh: '密码不能包含用户名', en: 'The password may not contain the username' };
  }
  // "Password123!" is "password" with the usual decorations: strip digits and symbols at both ends.
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (commonPasswords().has(lower) || (core.length >= 4 && commonPasswords().has(core))) {
    return { code: 'common', zh: '该密码过于常见，容易被猜中，请换一个', en: 'This password is too common and easily guessed; choose another' };
  }
  return null;
}

/** Refuses a weak password with a 400 that says which rule it breaks, in Chinese and English. */
export function assertStrongPassword(password: string, username: string): void {
  const issue = passwordIssue(password, username);
  if (issue) throw new Problem(400, 'weak_password', issue.zh, issue.en, { rule: issue.code });
}
