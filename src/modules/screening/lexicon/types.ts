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

/**
 * When a term that is innocent alone counts as a hit. Without a context every occurrence counts.
 * `near`: only with one of these companions within `window` characters before or after (出售 … 手枪);
 * `wholeWord`: only when the segmenter keeps the term's edges as word edges (日本 is not a hit inside 日本人);
 * `except`: phrases that turn the hit off when they cover it (赌博罪 for 赌博).
 */
export interface TermContext {
  near?: string[];
  window?: number;
  wholeWord?: boolean;
  except?: string[];
}

/** Characters around a term that a `near` companion may be in, when the term does not say. */
export const DEFAULT_NEAR_WINDOW = 8;

/** Which tiers the homophone fold applies to: block (the default), block and review, or none. */
export const HOMOPHONE_SCOPES = ['none', 'block', 'review'] as const;
export type HomophoneScope = (typeof HOMOPHONE_SCOPES)[number];

export interface LexiconTerm {
  term: string;
  category: Category;
  severity: Severity;
  context?: TermContext;
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
  context?: TermContext;
  /** Matched only through the homophone fold (堵博 for 赌博). */
  homophone?: boolean;
  /** The segmenter reads the hit as part of a longer word (干机 in 烘干机): reported one tier lower, with the word. */
  insideWord?: string;
}

export interface EngineOptions {
  /** Phrases that, when they cover a match, suppress it (place names, legal terms such as 赌博罪). */
  allow?: string[];
  /**
   * Terms of which tiers also match when written with other characters of the same toneless pinyin
   * (堵博 → 赌博): 'block' by default, 'review' for block and review, 'none' for no homophones.
   */
  homophones?: HomophoneScope;
  /** Visible separators allowed between two term characters (default MAX_GAP, at most 8). */
  maxGap?: number;
  /**
   * Words of a short text whose concatenation is the text (jieba); `wholeWord` terms need it. Without
   * one, a wholeWord term counts wherever it occurs (the engine stays free of any segmenter).
   */
  segment?: (text: string) => string[];
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
