// What the full-text index stores for an item, and how a query is turned into a tsquery against it.
//
// Chinese has no spaces, and jieba's words alone miss substrings that cross its word boundaries
// (融媒 inside 融媒体, 成都市 split as 成都/市). So every run of letters and digits is indexed as
// overlapping character bigrams with their positions: any query of two or more characters becomes a
// phrase of its bigrams (融媒体中心 → 融媒 <-> 媒体 <-> 体中 <-> 中心), which finds exactly what a
// LIKE '%…%' finds, through the GIN index. jieba's longer words (three characters or more; a
// two-character word already is its own bigram) are added beside them so that ranking favours an
// item where the query is a whole word. One character queries use a prefix match ('中':*): every
// occurrence of a character starts a bigram, or ends a run, where it is indexed alone.
//
// Lexemes and positions are written as a tsvector literal rather than through to_tsvector(), so
// PostgreSQL's parser and locale (C on PGlite, anything on a server) never split Chinese text.
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

type Weight = 'A' | 'B' | 'C';

// tsvector limits: positions run 1..16383 and a lexeme keeps at most 256 of them (a bigram repeated
// more often than that in one long text loses its later positions for phrase matching).
const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_LEXEME = 256;
/** A tsvector may not exceed 1 MB; bodies are capped well below that (200k characters per text node). */
const MAX_INDEXED_CHARS = 60_000;

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

class VectorBuilder {
  private readonly lexemes = new Map<string, { positions: number[]; weights: Weight[] }>();
  /** Position of the next character; positions count word characters only, across all fields. */
  private cursor = 1;

  add(lexeme: string, position: number, weight: Weight) {
    let entry = this.lexemes.get(lexeme);
    if (!entry) {
      entry = { positions: [], weights: [] };
      this.lexemes.set(lexeme, entry);
    }
    if (entry.positions.length >= MAX_POSITIONS_PER_LEXEME) return;
    // Past the last position, wrap around rather than clamp: neighbours stay neighbours, so a phrase
    // deep in a long text is still found (at the price of a rare false match across the wrap).
    entry.positions.push(((position - 1) % MAX_POSITION) + 1);
    entry.weights.push(weight);
  }

  field(text: string | null | undefined, weight: Weight) {
    if (!text) return;
    const normalized = indexForm(text.length > MAX_INDEXED_CHARS ? text.slice(0, MAX_INDEXED_CHARS) : text);
    const start = this.cursor;
    for (const run of wordRuns(normalized)) {
      for (let i = 0; i < run.length; i++) {
        // Each character starts a bigram, or ends its run and stands alone, so a prefix query finds it.
        this.add(i + 1 < run.length ? run[i]! + run[i + 1]! : run[i]!, this.cursor + i, weight);
      }
      this.cursor += run.length;
    }
    // jieba words of three or more characters, for ranking only: each occurrence gets its own
    // position inside the field's span, so it counts once per occurrence without ever forming a phrase
    // with a bigram (phrases use bigrams only).
    const seen = new Map<string, number>();
    for (const term of searchTerms(normalized)) {
      if (Array.from(term).length < 3 || !WHOLE_WORD.test(term)) continue;
      const n = seen.get(term) ?? 0;
      seen.set(term, n + 1);
      this.add(term, start + n, weight);
    }
    this.cursor += 1; // a gap, so a phrase never runs from one field into the next
  }

  /** The tsvector literal: 'lexeme':1A,7C … */
  toLiteral(): string {
    const parts: string[] = [];
    for (const [lexeme, { positions, weights }] of this.lexemes) {
      const order = positions.map((p, i) => [p, weights[i]!] as const).sort((a, b) => a[0] - b[0]);
      const pos: string[] = [];
      let last = 0;
      for (const [p, w] of order) {
        if (p === last) continue;
        last = p;
        // D is the default weight and written without a letter.
        pos.push(`${p}${w}`);
      }
      parts.push(`${quoteLexeme(lexeme)}:${pos.join(',')}`);
    }
    return parts.join(' ');
  }
}

function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The tsvector of an item, as a literal for `::tsvector`. Title weighs A, summary and tags B, body C. */
export function indexVector(item: IndexSource): string {
  const v = new VectorBuilder();
  v.field(item.title, 'A');
  v.field(item.subtitle, 'B');
  v.field(item.summary, 'B');
  v.field(item.tags.join(' '), 'B');
  v.field(item.body_text, 'C');
  return v.toLiteral();
}

export interface ParsedQuery {
  /** What must match: every term, each a phrase of its bigrams or a one-character prefix. */
  match: string;
  /** What ranks: any bigram, prefix or jieba word of the query. */
  rank: string;
  /** The normalised terms (runs of letters and digits) to highlight. */
  terms: string[];
}

/** Longest query the search accepts, in characters; longer phrases add nothing but cost. */
export const MAX_QUERY_CHARS = 100;

/**
 * Turns what a person typed into tsqueries. Words separated by spaces or punctuation must all
 * appear (AND); within one word the characters must be adjacent, in order. Returns null when the
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
    const bigrams = chars.slice(0, -1).map((c, i) => quoteLexeme(c + chars[i + 1]!));
    match.push(bigrams.length === 1 ? bigrams[0]! : `(${bigrams.join(' <-> ')})`);
    for (const b of bigrams) rank.add(b);
    for (const word of searchTerms(term)) {
      if (Array.from(word).length >= 3 && WHOLE_WORD.test(word)) rank.add(quoteLexeme(word));
    }
  }
  return { match: match.join(' & '), rank: [...rank].join(' | '), terms };
}
