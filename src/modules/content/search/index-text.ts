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
// Ranking reads three small values kept inline in the row, because a common word has tens of thousands
// of hits and every one is ranked: the title and the lead (subtitle, summary, tags) as plain text in
// the same normal form, which a query term is looked up in as a substring (so 融媒 ranks 融媒体中心), and
// a small vector of the body's most frequent jieba words for ts_rank. Title bigrams as lexemes took
// ~13 bytes a character; the text takes 3, which keeps ~2x more rows on each heap page a search visits.
//
// Lexemes are written as tsvector literals rather than through to_tsvector(), so PostgreSQL's parser
// and locale (C on PGlite, anything on a server) never split Chinese text.
import { normalizeText, searchTerms } from '../../nlp/index.ts';

/** The fields of an item that are searched, with their ts_rank weight. */
export interface IndexSource {
  title: string;
  subtitle: string | null;
  summary: string | null;
  tags: readonly string[];
  /** Plain text of the body; image captions are part of it (see doc.ts plainText). */
  body_text: string;
}

// tsvector limits: positions run 1..16383 and a lexeme keeps at most 256 of them.
const MAX_POSITION = 16383;
/** A tsvector may not exceed 1 MB; bodies are capped well below that (200k characters per text node). */
const MAX_INDEXED_CHARS = 60_000;
/** Body words in the rank vector, and occurrences counted per word: enough to tell a story about X from a passing mention. */
const RANK_BODY_WORDS = 16;
const RANK_MAX_TF = 4;
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

/** The body's most frequent words, each at as many positions as it occurs (capped), weight C. */
function bodyRankVector(text: string): string {
  const counts = new Map<string, number>();
  for (const w of rankWords(indexForm(capped(text)))) counts.set(w, (counts.get(w) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, RANK_BODY_WORDS);
  let cursor = 1;
  return top
    .map(([word, n]) => {
      const positions = Array.from({ length: Math.min(n, RANK_MAX_TF) }, () => `${Math.min(cursor++, MAX_POSITION)}C`);
      return `${quoteLexeme(word)}:${positions.join(',')}`;
    })
    .join(' ');
}

export interface IndexVectors {
  /** tsvector literal for matching: n-grams, no positions. */
  match: string;
  /** tsvector literal for ranking: the body's weighted words, small enough to stay in the row. */
  rank: string;
  /** The title in index form, for ranking by substring. */
  title: string;
  /** Subtitle, summary and tags in index form (the first MAX_LEAD_CHARS characters), for ranking. */
  lead: string;
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
    rank: bodyRankVector(item.body_text),
    title: indexForm(capped(item.title)),
    lead: Array.from(lead).slice(0, MAX_LEAD_CHARS).join(''),
  };
}

export interface ParsedQuery {
  /** What must match: every term, as its bigram, trigram, all its trigrams, or a one-character prefix. */
  match: string;
  /** What ranks in the body's word vector: any bigram, prefix or jieba word of the query. */
  rank: string;
  /** The normalised terms (runs of letters and digits): looked up in the title and lead, and highlighted. */
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
  const match: string[] = [];
  const rank = new Set<string>();
  for (const term of terms) {
    const chars = Array.from(term);
    if (chars.length === 1) {
      const prefix = `${quoteLexeme(term)}:*`;
      match.push(prefix);
      rank.add(prefix);
      continue;
    }
    if (chars.length <= 3) match.push(quoteLexeme(term));
    else {
      const trigrams = new Set(chars.slice(0, -2).map((c, i) => c + chars[i + 1]! + chars[i + 2]!));
      match.push(`(${[...trigrams].map(quoteLexeme).join(' & ')})`);
    }
    for (let i = 0; i + 1 < chars.length; i++) rank.add(quoteLexeme(chars[i]! + chars[i + 1]!));
    rank.add(quoteLexeme(term));
    for (const word of rankWords(term)) rank.add(quoteLexeme(word));
  }
  return { match: match.join(' & '), rank: [...rank].join(' | '), terms };
}
