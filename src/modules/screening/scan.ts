import { type Finding, checkWording } from './checks/index.ts';
import type { UnitRules } from './config.ts';
import type { LexiconMatch } from './lexicon/index.ts';

export type Verdict = 'block' | 'review' | 'pass';

export const verdictOf = (findings: Finding[]): Verdict =>
  findings.some((f) => f.severity === 'block') ? 'block' : findings.some((f) => f.severity === 'review') ? 'review' : 'pass';

/** A finding of an item, placed in its title or body; title offsets are kept apart from the body's. */
export type FieldFinding = Finding & { field: 'title' | 'body'; at: number | null; until: number | null };

/** Lexicon and wording findings for one text; positions are offsets into it. */
export function scanText({ engine, rules }: UnitRules, text: string): Finding[] {
  const findings: Finding[] = engine.scan(text).map((m) => ({
    rule: `lexicon.${m.category}`,
    severity: m.severity,
    message: `${TIER_WORDS[m.severity]}“${m.variant}”${m.variant === m.term ? '' : `（词库：${m.term}）`}`,
    reason: reasonOf(m),
    start: m.start,
    end: m.end,
  }));
  findings.push(...checkWording(text, rules));
  return findings;
}

const TIER_WORDS = { block: '禁用词', review: '慎用词，请核实', info: '提示词' } as const;
const TIER_NAMES = { block: '禁用', review: '慎用', info: '提示' } as const;

/** Why a lexicon hit was reported: tier and list, then how it was written and which context rule held. */
export function reasonOf(m: LexiconMatch): string {
  const parts = [`${TIER_NAMES[m.severity]}级${m.lexicon ? `，词库“${m.lexicon}”` : ''}`];
  if (m.homophone) parts.push(`同音替换（${m.variant} → ${m.term}）${m.severity === 'info' ? '，两字同音常为巧合，仅作提示' : ''}`);
  else if (m.variant !== m.term) parts.push(`变形写法（${m.variant} → ${m.term}）`);
  if (m.context?.near?.length) parts.push(`附近有“${m.context.near.slice(0, 3).join('、')}${m.context.near.length > 3 ? '…' : ''}”之一`);
  if (m.context?.wholeWord) parts.push('分词后为独立的词');
  if (m.insideWord) parts.push(`在“${m.insideWord}”一词之中，常为正常用语，降一级提示`);
  return parts.join('；');
}

/** Title findings carry no offsets (offsets refer to the body); their message names the title. */
export function scanItem(unit: UnitRules, title: string, body: string): FieldFinding[] {
  const inTitle = scanText(unit, title).map(({ start: _s, end: _e, ...f }) => ({ ...f, message: `标题：${f.message}`, field: 'title' as const, at: _s ?? null, until: _e ?? null }));
  const inBody = scanText(unit, body).map((f) => ({ ...f, field: 'body' as const, at: f.start ?? null, until: f.end ?? null }));
  return [...inTitle, ...inBody];
}

/** The item's findings as the workflow and the editor see them: body offsets only. */
export const plainFindings = (findings: FieldFinding[]): Finding[] => findings.map(({ field: _f, at: _a, until: _u, ...f }) => f);
