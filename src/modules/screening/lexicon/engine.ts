// The lexicon engine: fold the text on the fly (width, case, Traditional → Simplified, optional
// pinyin), skip short runs of separators between term characters, and run one Aho–Corasick pass
// that reports every match (overlapping and nested ones too) at its UTF-16 offsets in the original.
import type { Automaton, Key } from './automaton.ts';
import { buildAutomaton } from './automaton.ts';
import { SEP, SURROGATE, foldTable, invisibleTable, isAstralLetter } from './charmap.ts';
import { homophoneTable } from './homophones.ts';
import type { EngineOptions, LexiconMatch, LexiconTerm } from './types.ts';

/**
 * At most this many visible separators between two term characters: 赌 博, 赌*博, 赌。。。博 match,
 * but 赌。……很多。博 in ordinary prose does not (and a sentence break of four or more never joins
 * two words). Zero-width, format characters and combining marks (\u200b, ZWJ, variation selectors)
 * are invisible and do not count, so 赌\u200b\u200b\u200b\u200b博 still matches.
 */
export const MAX_GAP = 3;

const DEFAULT_MAX_INPUT = 1_000_000;

/** A folded scan table: unit → symbol (≥ 1), 0 (term character no key uses), SEP or SURROGATE. */
interface Pass {
  automaton: Automaton;
  cls: Int32Array;
}

export class LexiconEngine {
  readonly size: number;
  private readonly terms: LexiconTerm[];
  private readonly allow: string[];
  private readonly maxInput: number;
  private readonly unitMap: Int32Array;
  private readonly normalized: Pass;
  private literal: Pass | undefined;

  private constructor(terms: LexiconTerm[], options: EngineOptions) {
    this.terms = terms;
    this.size = terms.length;
    this.maxInput = options.maxInputChars ?? DEFAULT_MAX_INPUT;
    this.unitMap = options.homophones ? homophoneTable(foldTable()) : foldTable();
    const allow = (options.allow ?? []).filter((a) => a.length > 0);
    this.allow = allow;
    // Terms are outputs 0..n-1, allow-list phrases n..n+a-1: one pass finds both.
    const keys: Key[] = [];
    terms.forEach((t, i) => keys.push({ units: this.foldKey(t.term), output: i }));
    allow.forEach((a, i) => keys.push({ units: this.foldKey(a), output: terms.length + i }));
    const automaton = buildAutomaton(keys);
    this.normalized = { automaton, cls: composeTable(this.unitMap, automaton.sym) };
  }

  /** Builds the automaton; duplicate entries (same term, category, severity, lexicon, id) are kept once. */
  static build(terms: LexiconTerm[], options: EngineOptions = {}): LexiconEngine {
    const seen = new Set<string>();
    const unique: LexiconTerm[] = [];
    for (const t of terms) {
      if (t.term.length === 0) continue;
      const key = `${t.term}\u0000${t.category}\u0000${t.severity}\u0000${t.lexicon ?? ''}\u0000${t.id ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(t);
    }
    return new LexiconEngine(unique, options);
  }

  /**
   * Every match in `text`, sorted by start then end. With `normalize: false` terms match literally
   * (no folding, no separator skipping, no homophones, allow-list still applied) — the semantics of
   * plain substring matchers such as fastscan, used to compare against them.
   */
  scan(text: string, options: { normalize?: boolean } = {}): LexiconMatch[] {
    if (text.length > this.maxInput) {
      throw new RangeError(`lexicon scan: text has ${text.length} UTF-16 units, over the limit of ${this.maxInput} (maxInputChars); split it or raise the limit`);
    }
    if (text.length === 0 || this.size === 0) return [];
    const pass = options.normalize === false ? this.literalPass() : this.normalized;
    const raw = runPass(pass, text);
    return this.toMatches(text, raw);
  }

  /** Folded units of a key; separators inside a term are dropped, as they are skipped in text. */
  private foldKey(term: string): number[] {
    const units: number[] = [];
    for (let i = 0; i < term.length; i++) {
      const c = term.charCodeAt(i);
      const v = this.unitMap[c];
      if (v >= 0) units.push(v);
      else if (v === SURROGATE) {
        const cp = term.codePointAt(i) ?? c;
        if (cp > 0xffff && isAstralLetter(cp)) {
          units.push(c, term.charCodeAt(i + 1));
          i++;
        } else if (cp > 0xffff) i++;
      }
    }
    return units;
  }

  private literalPass(): Pass {
    if (!this.literal) {
      const keys: Key[] = [];
      this.terms.forEach((t, i) => keys.push({ units: unitsOf(t.term), output: i }));
      // The allow-list has no literal automaton of its own: literal phrases are added here too.
      const automaton = buildAutomaton(keys.concat(this.allowKeysLiteral()));
      // Literal: the symbol table alone, no SEP entries, so nothing is skipped or folded.
      this.literal = { automaton, cls: automaton.sym };
    }
    return this.literal;
  }

  private allowKeysLiteral(): Key[] {
    return this.allow.map((a, i) => ({ units: unitsOf(a), output: this.size + i }));
  }

  private toMatches(text: string, raw: Int32Array): LexiconMatch[] {
    const n = raw.length / 3;
    const allowStart: number[] = [];
    const allowEnd: number[] = [];
    const found: number[] = [];
    for (let m = 0; m < n; m++) {
      if (raw[m * 3 + 2] >= this.size) {
        allowStart.push(raw[m * 3]);
        allowEnd.push(raw[m * 3 + 1]);
      } else found.push(m);
    }
    const matches: LexiconMatch[] = [];
    for (const m of found) {
      const start = raw[m * 3];
      const end = raw[m * 3 + 1];
      let allowed = false;
      for (let a = 0; a < allowStart.length && !allowed; a++) allowed = allowStart[a] <= start && end <= allowEnd[a];
      if (allowed) continue;
      const t = this.terms[raw[m * 3 + 2]];
      const match: LexiconMatch = { start, end, term: t.term, variant: text.slice(start, end), category: t.category, severity: t.severity };
      if (t.lexicon !== undefined) match.lexicon = t.lexicon;
      if (t.id !== undefined) match.id = t.id;
      matches.push(match);
    }
    matches.sort((a, b) => a.start - b.start || a.end - b.end);
    return matches;
  }
}

function unitsOf(s: string): number[] {
  const units: number[] = [];
  for (let i = 0; i < s.length; i++) units.push(s.charCodeAt(i));
  return units;
}

/** unit → symbol of its folded form, keeping the SEP / SURROGATE markers and 0 for unused letters. */
function composeTable(unitMap: Int32Array, sym: Int32Array): Int32Array {
  const cls = new Int32Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const v = unitMap[c];
    cls[c] = v >= 0 ? sym[v] : v;
  }
  return cls;
}

/** One pass over the text; returns (start, end, output) triples. */
function runPass(pass: Pass, text: string): Int32Array {
  const { da, fail, emit, dict, depth, out, outId, outNext, sym, maxDepth } = pass.automaton;
  const cls = pass.cls;
  const invisible = invisibleTable();
  // Original offset of each recent term character, indexed by its position in the folded stream.
  let ringSize = 1;
  while (ringSize <= maxDepth) ringSize <<= 1;
  const ring = new Int32Array(ringSize);
  const mask = ringSize - 1;
  let res = new Int32Array(96);
  let nres = 0;
  let s = 0;
  let gap = 0;
  let k = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let v = cls[c];
    if (v < 0) {
      if (v === SEP) {
        if (invisible[c] === 0) gap++;
        continue;
      }
      // A surrogate: an astral letter (CJK Extension B…) is two term units; anything else
      // (emoji, lone surrogates) is one separator.
      const lo = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
        if (cp < 0x1f000 || cp > 0x1ffff ? isAstralLetter(cp) : false) {
          // Feed the high unit now, the low one on the next iteration through the same path.
          v = sym[c];
        } else {
          gap++;
          i++;
          continue;
        }
      } else if (c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff && isAstralLetter(text.codePointAt(i - 1) ?? 0)) {
        v = sym[c];
      } else {
        gap++;
        continue;
      }
    }
    if (gap > MAX_GAP) s = 0;
    gap = 0;
    if (v === 0) {
      s = 0;
      continue;
    }
    for (;;) {
      const t = da[s << 1] + v;
      if (da[(t << 1) | 1] === s) {
        s = t;
        break;
      }
      if (s === 0) break;
      s = fail[s];
    }
    ring[k & mask] = i;
    k++;
    let e = emit[s];
    while (e >= 0) {
      const start = ring[(k - depth[e]) & mask];
      for (let o = out[e]; o >= 0; o = outNext[o]) {
        if (nres + 3 > res.length) {
          const bigger = new Int32Array(res.length * 2);
          bigger.set(res);
          res = bigger;
        }
        res[nres++] = start;
        res[nres++] = i + 1;
        res[nres++] = outId[o];
      }
      e = dict[e];
    }
  }
  return res.subarray(0, nres);
}
