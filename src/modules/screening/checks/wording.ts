// Standard wording (规范表述): editable packs of "wrong form → right form" rules, each with why and
// where the rule comes from, so an editor can check a flag against its source instead of trusting it.
import { readFileSync } from 'node:fs';
import type { Finding, Severity } from './finding.ts';

export interface WordingRule {
  /** The form to flag, matched literally (no patterns: packs are edited by editors, not programmers). */
  wrong: string;
  /** The form to use instead. */
  right: string;
  explanation: string;
  /** Standard, style guide or authority the rule rests on, e.g. 《出版物上数字用法》GB/T 15835-2011. */
  source: string;
  /** Defaults to `review`. */
  severity?: Severity;
}

export interface WordingPackError {
  /** Position of the rule in the pack's `rules` array, when the problem is one rule. */
  index?: number;
  /** Line of the JSON text, when the pack does not parse. */
  line?: number;
  message: string;
}

export interface ParsedWordingPack {
  rules: WordingRule[];
  errors: WordingPackError[];
}

export const WORDING_RULE = 'wording';

/** Offsets at which `needle` occurs inside `haystack` (overlapping occurrences included). */
function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (needle.length === 0) return found;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/**
 * The wrong form at `at` is part of the right form already written out (rule 四川省委 → 中共四川省委
 * must stay quiet inside 中共四川省委), so nothing is to be changed there.
 */
function insideRightForm(text: string, at: number, rule: WordingRule, wrongInRight: readonly number[]): boolean {
  for (const offset of wrongInRight) {
    const start = at - offset;
    if (start >= 0 && text.startsWith(rule.right, start)) return true;
  }
  return false;
}

/** Every place in `text` where a rule's wrong form is written, in text order. Offsets are UTF-16. */
export function checkWording(text: string, rules: readonly WordingRule[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (rule.wrong.length === 0 || rule.wrong === rule.right) continue;
    const wrongInRight = occurrences(rule.right, rule.wrong);
    for (const at of occurrences(text, rule.wrong)) {
      if (insideRightForm(text, at, rule, wrongInRight)) continue;
      const end = at + rule.wrong.length;
      // Two packs may carry the same rule; the editor needs to see it once.
      const key = `${at}:${end}:${rule.right}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        rule: WORDING_RULE,
        severity: rule.severity ?? 'review',
        message: `规范表述：“${rule.wrong}”应为“${rule.right}”。${rule.explanation}（依据：${rule.source}）`,
        start: at,
        end,
        suggestion: rule.right,
      });
    }
  }
  return findings.sort((a, b) => (a.start ?? 0) - (b.start ?? 0) || (b.end ?? 0) - (a.end ?? 0));
}

const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['block', 'review', 'info']);
const REQUIRED_TEXT_FIELDS = ['wrong', 'right', 'explanation', 'source'] as const;

/** 1-based line of a character offset, for a JSON syntax error an editor can find. */
function lineOf(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function parseJson(json: string): { value?: unknown; error?: WordingPackError } {
  try {
    return { value: JSON.parse(json) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message);
    const line = /line (\d+)/.exec(message);
    return {
      error: {
        line: line ? Number(line[1]) : position ? lineOf(json, Number(position[1])) : undefined,
        message: `规则包不是有效的 JSON：${message}`,
      },
    };
  }
}

function validateRule(raw: unknown, index: number, errors: WordingPackError[]): WordingRule | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push({ index, message: `第 ${index + 1} 条规则应是对象 { wrong, right, explanation, source }` });
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  let ok = true;
  for (const field of REQUIRED_TEXT_FIELDS) {
    const value = r[field];
    if (typeof value !== 'string' || value.trim() === '') {
      errors.push({ index, message: `第 ${index + 1} 条规则缺少“${field}”（非空字符串）` });
      ok = false;
    }
  }
  if (r.severity !== undefined && (typeof r.severity !== 'string' || !SEVERITIES.has(r.severity))) {
    errors.push({ index, message: `第 ${index + 1} 条规则的 severity 只能是 block、review 或 info` });
    ok = false;
  }
  if (ok && r.wrong === r.right) {
    errors.push({ index, message: `第 ${index + 1} 条规则的错误写法与规范写法相同` });
    ok = false;
  }
  if (!ok) return undefined;
  const rule: WordingRule = {
    wrong: r.wrong as string,
    right: r.right as string,
    explanation: r.explanation as string,
    source: r.source as string,
  };
  if (r.severity !== undefined) rule.severity = r.severity as Severity;
  return rule;
}

/**
 * Reads a rule pack an editor wrote: either an array of rules or `{ "rules": [...] }` (other top-level
 * fields such as name and version are allowed and ignored). Good rules are returned even when others
 * are wrong, so one typo in a big pack does not switch the whole pack off; each bad rule is reported
 * with its index, and a pack that does not parse with its line. Duplicate wrong forms are reported.
 */
export function parseWordingPack(json: string | unknown): ParsedWordingPack {
  const errors: WordingPackError[] = [];
  let value: unknown = json;
  if (typeof json === 'string') {
    const parsed = parseJson(json);
    if (parsed.error) return { rules: [], errors: [parsed.error] };
    value = parsed.value;
  }
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>).rules)
      ? ((value as Record<string, unknown>).rules as unknown[])
      : undefined;
  if (!list) return { rules: [], errors: [{ message: '规则包应是规则数组，或带有 "rules" 数组的对象' }] };

  const rules: WordingRule[] = [];
  const firstIndexOfWrong = new Map<string, number>();
  list.forEach((raw, index) => {
    const rule = validateRule(raw, index, errors);
    if (!rule) return;
    const earlier = firstIndexOfWrong.get(rule.wrong);
    if (earlier !== undefined) {
      errors.push({ index, message: `第 ${index + 1} 条规则与第 ${earlier + 1} 条的错误写法“${rule.wrong}”重复` });
      return;
    }
    firstIndexOfWrong.set(rule.wrong, index);
    rules.push(rule);
  });
  return { rules, errors };
}

let starter: WordingRule[] | undefined;

/**
 * The starter pack shipped with the platform (data/wording-starter.json): Sichuan place names, official
 * names of institutions, political terms and number style, each with its source. Read once, on first use.
 */
export function starterWordingRules(): WordingRule[] {
  if (starter === undefined) {
    const json = readFileSync(new URL('./data/wording-starter.json', import.meta.url), 'utf8');
    const parsed = parseWordingPack(json);
    // A broken shipped pack is a bug of ours, not an editor's: fail loudly in tests rather than check less.
    if (parsed.errors.length > 0) throw new Error(`wording-starter.json: ${parsed.errors.map((e) => e.message).join('; ')}`);
    starter = parsed.rules;
  }
  return starter;
}
