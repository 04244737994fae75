import { type Finding, checkWording } from './checks/index.ts';
import type { UnitRules } from './config.ts';

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
    message: `${m.severity === 'block' ? '禁用词' : m.severity === 'review' ? '敏感词，请核实' : '提示词'}“${m.variant}”${m.variant === m.term ? '' : `（词库：${m.term}）`} · ${m.category}${m.lexicon ? ` · ${m.lexicon}` : ''}`,
    start: m.start,
    end: m.end,
  }));
  findings.push(...checkWording(text, rules));
  return findings;
}

/** Title findings carry no offsets (offsets refer to the body); their message names the title. */
export function scanItem(unit: UnitRules, title: string, body: string): FieldFinding[] {
  const inTitle = scanText(unit, title).map(({ start: _s, end: _e, ...f }) => ({ ...f, message: `标题：${f.message}`, field: 'title' as const, at: _s ?? null, until: _e ?? null }));
  const inBody = scanText(unit, body).map((f) => ({ ...f, field: 'body' as const, at: f.start ?? null, until: f.end ?? null }));
  return [...inTitle, ...inBody];
}

/** The item's findings as the workflow and the editor see them: body offsets only. */
export const plainFindings = (findings: FieldFinding[]): Finding[] => findings.map(({ field: _f, at: _a, until: _u, ...f }) => f);
