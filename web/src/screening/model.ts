import type { DocNode } from '../shared/types.ts';
import type { Static } from 'typebox';
import type {
  AlertSchema,
  AllowListSchema,
  AllowTermSchema,
  CategorySchema,
  ChangeResult as ChangeResultSchema,
  FindingsResult as FindingsResultSchema,
  LexiconDetail as LexiconDetailSchema,
  LexiconSchema,
  PackSchema,
  ProposalSchema,
  ScopeSchema,
  ScreeningFindingSchema,
  SeveritySchema,
  VersionSchema,
} from '../../../src/modules/screening/schema.ts';

/** Types of the 智能审核 API (/api/screening/*) and small helpers shared by its pages and panels. */

/** A finding as the review API returns it: the newsroom's shape plus an optional fix and confidence. */
export type Finding = Static<typeof ScreeningFindingSchema>;
export type Severity = Static<typeof SeveritySchema>;
export type Verdict = FindingsResult['verdict'];
export type Scope = Static<typeof ScopeSchema>;
export type Category = Static<typeof CategorySchema>;

type Pair = [zh: string, en: string];

export type FindingsResult = Static<typeof FindingsResultSchema>;
/** 「不是问题」: an editor's false-hit request, waiting for a chief editor. */
export type Proposal = Static<typeof ProposalSchema>;

export type Lexicon = Static<typeof LexiconSchema>;

export type LexiconDetail = Static<typeof LexiconDetailSchema>;

export type LexiconTerm = LexiconDetail['terms'][number];

export type LexiconVersion = Static<typeof VersionSchema>;

export type ChangeResult = Static<typeof ChangeResultSchema>;

/** One bad line of an import, as the 400 problem lists it. */
export interface ImportError {
  line: number;
  message: string;
}

export type AllowTerm = Static<typeof AllowTermSchema>;

export type AllowList = Static<typeof AllowListSchema>;

export type WordingPack = Static<typeof PackSchema>;

export type WordingRule = WordingPack['rules'][number];

export type PatrolAlert = Static<typeof AlertSchema>;

export const categories: Category[] = ['politics', 'porn', 'gambling', 'drugs', 'fraud', 'ads', 'violence', 'custom'];

export const categoryLabels: Record<Category, Pair> = {
  politics: ['涉政', 'Politics'],
  porn: ['色情', 'Pornography'],
  gambling: ['赌博', 'Gambling'],
  drugs: ['毒品', 'Drugs'],
  fraud: ['诈骗', 'Fraud'],
  ads: ['广告', 'Ads'],
  violence: ['暴恐', 'Violence'],
  custom: ['自定义', 'Custom'],
};

export const scopeLabels: Record<Scope, Pair> = {
  alliance: ['联合体通用', 'Alliance-wide'],
  unit: ['本单位', 'My unit'],
};

export const verdictLabels: Record<Verdict, Pair> = {
  block: ['不可发布', 'Blocked'],
  review: ['需人工确认', 'Needs review'],
  pass: ['通过', 'Pass'],
};

export const verdictColors: Record<Verdict, string> = { block: 'red', review: 'orange', pass: 'green' };

/** Highlight colours for findings over text (background, underline) by severity. */
export const severityHighlight: Record<Severity, { background: string; border: string }> = {
  block: { background: '#fff1f0', border: '#f5222d' },
  review: { background: '#fff7e6', border: '#fa8c16' },
  info: { background: '#e6f4ff', border: '#1677ff' },
};

const severityRank: Record<Severity, number> = { block: 3, review: 2, info: 1 };

/** A finding with an offset range that falls inside a text of this length. */
export function hasRange(f: Finding, length: number): f is Finding & { start: number; end: number } {
  return f.start !== undefined && f.end !== undefined && f.start >= 0 && f.end > f.start && f.end <= length;
}

export interface Segment {
  start: number;
  end: number;
  text: string;
  /** The findings covering this piece of text, strongest first (empty: plain text). */
  findings: Finding[];
}

/**
 * Split a text at every finding boundary so each piece is covered by a fixed set of findings;
 * overlapping findings are fine. The pieces are rendered as React text nodes, never as HTML.
 */
export function segmentText(text: string, findings: Finding[]): Segment[] {
  const ranged = findings.filter((f) => hasRange(f, text.length));
  const cuts = new Set<number>([0, text.length]);
  for (const f of ranged) {
    cuts.add(f.start!);
    cuts.add(f.end!);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i];
    const end = points[i + 1];
    const covering = ranged.filter((f) => f.start! <= start && f.end! >= end).sort((a, b) => severityRank[b.severity] - severityRank[a.severity]);
    out.push({ start, end, text: text.slice(start, end), findings: covering });
  }
  return out;
}

const blockTypes = new Set(['paragraph', 'heading', 'listItem', 'blockquote', 'codeBlock', 'image']);

/** The item's body_text as the server computes it (one line per block), which finding offsets index into. */
export function plainText(doc: DocNode): string {
  if (doc.type === 'text') return doc.text ?? '';
  if (doc.type === 'hardBreak') return '\n';
  if (doc.type === 'image') return String(doc.attrs?.caption ?? doc.attrs?.alt ?? '');
  const inner = (doc.content ?? []).map(plainText);
  const joined = blockTypes.has(doc.type) ? inner.join('') : inner.join('\n');
  return joined.replace(/\n{3,}/g, '\n\n').trim();
}

/** A stable key for one finding of one item: ignoring it hides it for this item in this browser. */
export function findingKey(f: Finding): string {
  return `${f.rule}:${f.start ?? ''}:${f.end ?? ''}`;
}

const IGNORE_PREFIX = 'tianfu.review.ignored.';

export function loadIgnored(itemId: string): Set<string> {
  try {
    const raw = localStorage.getItem(IGNORE_PREFIX + itemId);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return new Set(Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function saveIgnored(itemId: string, keys: Set<string>) {
  try {
    localStorage.setItem(IGNORE_PREFIX + itemId, JSON.stringify([...keys]));
  } catch {
    // storage full or blocked: ignoring then lasts only this session
  }
}
