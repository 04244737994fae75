// What the full-text index stores for an item, and how a query is turned into tsqueries against it.
//
// Chinese has no spaces, and jieba's words alone miss substrings that cross its word boundaries
// (融媒 inside 融媒体, 成都市 split as 成都/市). So matching does not use words at all: every run of
// letters and digits is indexed as its character bigrams and trigrams, and a query becomes
//   1 character   → a prefix, '中':* (every character starts a bigram, or ends a run where it stands alone)
//   2 characters  → its bigram, exactly
//   3 characters  → its trigram, exactly
//   4 or more     → all of its overlapping trigrams (融媒体中心 → 融媒体 & 媒体中 & 体中心)
// which finds everything a LIKE '%…%' finds, through the GIN index, without positions: GIN answers such
// a query without rechecking the row, so a search never reads the (large, TOASTed) vector itself.
// (Only 4+ character queries can over-match, when all their trigrams occur apart; measured rare.)
//
// Ranking reads three short texts kept in the row, because a common word has tens of thousands of hits
// and every one is ranked: the title, the lead (subtitle, summary, tags) and the body's most frequent
// jieba words, all in the same normal form as queries. A query term is looked up in each as a substring
// (so 融媒 ranks 融媒体中心): title 1, lead 0.4, body 0.2. A story about X has X among its most frequent
// words; a passing mention does not. Title bigrams as weighted lexemes took ~13 bytes a character and
// ts_rank over them ~0.7 kB a row; these texts take ~0.2 kB, so a search visits half the heap pages.
//
// Lexemes are written as tsvector literals rather than through to_tsvector(), so PostgreSQL's parser
// and locale (C on PGlite, anything on a server) never split Chinese text.
import { normalizeText, searchTerms } from '../../nlp/index.ts';

/** The fields of an item that are searched. */
export interface IndexSource {
  title: string;
  subtitle: string | null;
  summary: string | null;
  tags: readonly string[];
  /** Plain text of the body; image captions are part of it (see doc.ts plainText). */
  body_text: string;
}

/** A tsvector may not exceed 1 MB; bodies are capped well below that (200k characters per text node). */
const MAX_INDEXED_CHARS = 60_000;
/** The body's most frequent words kept for ranking. */
const RANK_BODY_WORDS = 16;
/** The lead is ranked on its first characters only; further matches still find the item. */
const MAX_LEAD_CHARS = 160;

const WORD_RUN = /[\p{L}\p{N}]+/gu;
const WHOLE_WORD = /^[\p{L}\p{N}]+$/u;

/** The form every indexed text and every query is compared in: half-width, Simplified, lower case. */
export function indexForm(text: string): string {
  return normalizeText(text).toLowerCase();
}

/** Maximal runs of letters and digits, each as an array of characters (code points). */
export function wordRuns(normalized: string): string[][] {
  return (normalized.match(WORD_RUN) ?? []).map((run) => Array.from(run));
}

function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

const capped = (text: string) => (text.length > MAX_INDEXED_CHARS ? text.slice(0, MAX_INDEXED_CHARS) : text);

/** Bigrams (or the run's last character alone) and trigrams of every run: what matching looks up. */
function addGrams(normalized: string, out: Set<string>) {
  for (const run of wordRuns(normalized)) {
    for (let i = 0; i < run.length; i++) {
      out.add(i + 1 < run.length ? run[i]! + run[i + 1]! : run[i]!);
      if (i + 2 < run.length) out.add(run[i]! + run[i + 1]! + run[i + 2]!);
    }
  }
}

/** Words worth ranking on: jieba's search-mode words of two or more letters or digits. */
function rankWords(normalized: string): string[] {
  return searchTerms(normalized).filter((w) => w.length >= 2 && WHOLE_WORD.test(w));
}

/** The body's most frequent words (ties: first seen), space-separated. */
function bodyTopWords(text: string): string {
  const counts = new Map<string, number>();
  for (const w of rankWords(indexForm(capped(text)))) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, RANK_BODY_WORDS)
    .map(([word]) => word)
    .join(' ');
}

export interface IndexVectors {
  /** tsvector literal for matching: n-grams, no positions. */
  match: string;
  /** The title in index form, for ranking by substring. */
  title: string;
  /** Subtitle, summary and tags in index form (the first MAX_LEAD_CHARS characters), for ranking. */
  lead: string;
  /** The body's most frequent words in index form, for ranking by substring. */
  body: string;
}

/** What the index stores for an item. */
export function indexVectors(item: IndexSource): IndexVectors {
  const grams = new Set<string>();
  for (const text of [item.title, item.subtitle, item.summary, item.tags.join(' '), item.body_text]) {
    if (text) addGrams(indexForm(capped(text)), grams);
  }
  const lead = indexForm([item.subtitle, item.summary, item.tags.join(' ')].filter(Boolean).join('\n'));
  return {
    match: [...grams].map(quoteLexeme).join(' '),
    title: indexForm(capped(item.title)),
    lead: Array.from(lead).slice(0, MAX_LEAD_CHARS).join(''),
    body: bodyTopWords(item.body_text),
  };
}

export interface ParsedQuery {
  /** What must match: every term, as its bigram, trigram, all its trigrams, or a one-character prefix. */
  match: string;
  /** The normalised terms (runs of letters and digits): looked up in the ranking texts, and highlighted. */
  terms: string[];
}

/** Longest query the search accepts, in characters; longer phrases add nothing but cost. */
export const MAX_QUERY_CHARS = 100;

/**
 * Turns what a person typed into tsqueries. Words separated by spaces or punctuation must all
 * appear (AND); within one word the characters must be adjacent, in order (for words of four
 * or more characters: every three-character stretch of it). Returns null when the
 * query has no letter or digit at all.
 */
export function parseQuery(q: string): ParsedQuery | null {
  const normalized = indexForm(q.slice(0, MAX_QUERY_CHARS));
  const runs = wordRuns(normalized);
  if (!runs.length) return null;
  const terms = [...new Set(runs.map((r) => r.join('')))];
  const match = terms.map((term) => {
    const chars = Array.from(term);
    if (chars.length === 1) return `${quoteLexeme(term)}:*`;
    if (chars.length <= 3) return quoteLexeme(term);
    const trigrams = new Set(chars.slice(0, -2).map((c, i) => c + chars[i + 1]! + chars[i + 2]!));
    return `(${[...trigrams].map(quoteLexeme).join(' & ')})`;
  });
  return { match: match.join(' & '), terms };
}
