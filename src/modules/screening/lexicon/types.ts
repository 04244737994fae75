// Public types of the lexicon engine; the platform imports them through index.ts.
export const CATEGORIES = ['politics', 'porn', 'gambling', 'drugs', 'fraud', 'ads', 'violence', 'custom'] as const;
export type Category = (typeof CATEGORIES)[number];
export const SEVERITIES = ['block', 'review', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Longest term, in characters (code points, as JSON Schema counts them). The terms route and file
 * imports share it: a term is one index row, and PostgreSQL refuses rows past about 2.7 kB.
 */
export const MAX_TERM_CHARS = 100;

export interface LexiconTerm {
  term: string;
  category: Category;
  severity: Severity;
  /** Which lexicon the term came from (e.g. 'houbb'), so a hit can be traced and its list edited. */
  lexicon?: string;
  id?: string;
}

export interface LexiconMatch {
  /** UTF-16 offsets into the original text, end exclusive: text.slice(start, end) === variant. */
  start: number;
  end: number;
  /** The lexicon term as written in the lexicon. */
  term: string;
  /** The original substring that matched (may contain separators, full-width or traditional forms). */
  variant: string;
  category: Category;
  severity: Severity;
  lexicon?: string;
  id?: string;
}

export interface EngineOptions {
  /** Phrases that, when they cover a match, suppress it (place names, legal terms such as 赌博罪). */
  allow?: string[];
  /** Also match terms written with other characters of the same toneless pinyin (堵博 → 赌博). Off by default. */
  homophones?: boolean;
  /** Longest text `scan` accepts, in UTF-16 units; default 1,000,000. Longer input throws a RangeError. */
  maxInputChars?: number;
}

export interface ParseError {
  line: number;
  message: string;
}

export interface ParseResult {
  terms: LexiconTerm[];
  errors: ParseError[];
}

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
