// The lexicon engine: fold the text on the fly (width, case, Traditional → Simplified), skip short
// runs of separators between term characters (never across sentence punctuation), run one
// Aho–Corasick pass that reports every match at its UTF-16 offsets in the original, then apply each
// term's context (companions, whole words, exceptions) and the allow-list. Block-tier terms (or
// more, per unit) are also looked for through the homophone fold, and Han terms across letters.
import type { Key } from './automaton.ts';
import { buildAutomaton } from './automaton.ts';
import { SURROGATE, foldTable, isAstralLetter } from './charmap.ts';
import { soundAlikeStands, wholeWordAt, wordAround } from './context.ts';
import { homophoneTable } from './homophones.ts';
import { type Pass, composeTable, isAlnum, isHanTerm, letterWindows, lettersAsSeparators, runPass } from './pass.ts';
import { DEFAULT_NEAR_WINDOW, type EngineOptions, type HomophoneScope, type LexiconMatch, type LexiconTerm, type Severity } from './types.ts';

/**
 * Default number of visible separators between two term characters: 赌 博, 赌*博, 赌~~~博 match,
 * 赌 * * 博 does not. Zero-width, format characters and combining marks (\u200b, ZWJ, variation
 * selectors) are invisible and do not count. Sentence punctuation never joins two characters.
 */
export const MAX_GAP = 3;
/** The most a unit may set: more would join words across ordinary prose. */
export const MAX_GAP_LIMIT = 8;

const DEFAULT_MAX_INPUT = 1_000_000;
const HAN = /\p{Script=Han}/u;

const HOMOPHONE_TIERS: Record<HomophoneScope, Severity[]> = { none: [], block: ['block'], review: ['block', 'review'] };

/** A phrase that is not a term: an allow-list entry, a term's exception or a companion. */
interface Aux {
  phrase: string;
  allow: boolean;
}

export class LexiconEngine {
  readonly size: number;
  private readonly terms: LexiconTerm[];
  private readonly aux: Aux[];
  /** Per term: aux indices of its exceptions and companions (undefined when it has none). */
  private readonly exceptAux: (number[] | undefined)[];
  private readonly nearAux: (number[] | undefined)[];
  private readonly maxInput: number;
  private readonly maxGap: number;
  private readonly segment: ((text: string) => string[]) | undefined;
  private readonly unitMap: Int32Array;
  private readonly normalized: Pass;
  /** The normalized automaton read with Latin letters and digits as separators, for Han terms. */
  private readonly lettersSkipped: Int32Array;
  private readonly hanTerm: Uint8Array;
  private readonly hanLength: Uint8Array;
  /** Homophone-folded automaton of the tiers the options name; absent when none. */
  private readonly homophone: Pass | undefined;
  private literal: Pass | undefined;

  private constructor(terms: LexiconTerm[], options: EngineOptions) {
    this.terms = terms;
    this.size = terms.length;
    this.maxInput = options.maxInputChars ?? DEFAULT_MAX_INPUT;
    this.maxGap = Math.max(0, Math.min(MAX_GAP_LIMIT, Math.floor(options.maxGap ?? MAX_GAP)));
    this.segment = options.segment;
    this.unitMap = foldTable();
    const keys: Key[] = [];
    terms.forEach((t, i) => keys.push({ units: this.foldKey(t.term, this.unitMap), output: i }));
    // Allow-list phrases, exceptions and companions share one numbering after the terms: one pass finds all.
    const auxIndex = new Map<string, number>();
    this.aux = [];
    const auxOf = (phrase: string) => {
      let at = auxIndex.get(phrase);
      if (at === undefined) {
        at = this.aux.length;
        auxIndex.set(phrase, at);
        this.aux.push({ phrase, allow: false });
        keys.push({ units: this.foldKey(phrase, this.unitMap), output: terms.length + at });
      }
      return at;
    };
    for (const a of options.allow ?? []) if (a.length > 0) this.aux[auxOf(a)].allow = true;
    this.exceptAux = terms.map((t) => nonEmpty(t.context?.except)?.map(auxOf));
    this.nearAux = terms.map((t) => nonEmpty(t.context?.near)?.map(auxOf));
    const automaton = buildAutomaton(keys);
    this.normalized = { automaton, cls: composeTable(this.unitMap, automaton.sym) };
    this.lettersSkipped = lettersAsSeparators(this.normalized.cls);
    this.hanTerm = Uint8Array.from(terms, (t) => (isHanTerm(t.term) ? 1 : 0));
    this.hanLength = Uint8Array.from(terms, (t) => Math.min(255, t.term.match(/\p{Script=Han}/gu)?.length ?? 0));
    const tiers = HOMOPHONE_TIERS[options.homophones ?? 'block'];
    const sounding: Key[] = [];
    if (tiers.length > 0) {
      const table = homophoneTable(this.unitMap);
      terms.forEach((t, i) => {
        if (tiers.includes(t.severity)) sounding.push({ units: this.foldKey(t.term, table), output: i });
      });
      if (sounding.length > 0) {
        const a = buildAutomaton(sounding);
        this.homophone = { automaton: a, cls: composeTable(table, a.sym) };
      }
    }
  }

  /** Builds the automata; duplicate entries (same term, category, severity, lexicon, id, context) are kept once. */
  static build(terms: LexiconTerm[], options: EngineOptions = {}): LexiconEngine {
    const seen = new Set<string>();
    const unique: LexiconTerm[] = [];
    for (const t of terms) {
      if (t.term.length === 0) continue;
      const key = `${t.term}\u0000${t.category}\u0000${t.severity}\u0000${t.lexicon ?? ''}\u0000${t.id ?? ''}\u0000${t.context ? JSON.stringify(t.context) : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(t);
    }
    return new LexiconEngine(unique, options);
  }

  /**
   * Every match in `text`, sorted by start then end. With `normalize: false` terms match literally
   * (no folding, no separator skipping, no homophones, no context rules; the allow-list still applies)
   * — the semantics of plain substring matchers such as fastscan, used to compare against them.
   */
  scan(text: string, options: { normalize?: boolean } = {}): LexiconMatch[] {
    if (text.length > this.maxInput) {
      throw new RangeError(`lexicon scan: text has ${text.length} UTF-16 units, over the limit of ${this.maxInput} (maxInputChars); split it or raise the limit`);
    }
    if (text.length === 0 || this.size === 0) return [];
    if (options.normalize === false) return this.toMatches(text, [runPass(this.literalPass(), text, 0)], false);
    const runs = [runPass(this.normalized, text, this.maxGap)];
    // Han terms with letters or digits slipped in (赌a博): only around such runs, so ordinary text pays nothing.
    const radius = this.normalized.automaton.maxDepth * (this.maxGap + 1);
    for (const [from, to] of letterWindows(text, this.maxGap, radius)) {
      const raw = runPass({ automaton: this.normalized.automaton, cls: this.lettersSkipped }, text, this.maxGap, from, to);
      runs.push(this.keepLetterEvasions(text, raw));
    }
    const heard = this.homophone ? runPass(this.homophone, text, this.maxGap) : undefined;
    return this.toMatches(text, runs, true, heard);
  }

  /** From a letters-skipped run: Han terms whose span holds a letter or digit (the rest the main run found). */
  private keepLetterEvasions(text: string, raw: Int32Array): Int32Array {
    const kept: number[] = [];
    for (let m = 0; m < raw.length; m += 3) {
      const [start, end, out] = [raw[m], raw[m + 1], raw[m + 2]];
      if (out >= this.size || this.hanTerm[out] === 0) continue;
      let letters = false;
      for (let i = start; i < end && !letters; i++) letters = isAlnum(text.charCodeAt(i));
      if (letters) kept.push(start, end, out);
    }
    return Int32Array.from(kept);
  }

  /** Folded units of a key; separators inside a term are dropped, as they are skipped in text. */
  private foldKey(term: string, unitMap: Int32Array): number[] {
    const units: number[] = [];
    for (let i = 0; i < term.length; i++) {
      const c = term.charCodeAt(i);
      const v = unitMap[c];
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
      const keys: Key[] = this.terms.map((t, i) => ({ units: unitsOf(t.term), output: i }));
      // Only allow-list phrases: exceptions and companions are context, which literal matching has none of.
      this.aux.forEach((a, i) => {
        if (a.allow) keys.push({ units: unitsOf(a.phrase), output: this.size + i });
      });
      const automaton = buildAutomaton(keys);
      // Literal: the symbol table alone, no SEP entries, so nothing is skipped or folded.
      this.literal = { automaton, cls: automaton.sym };
    }
    return this.literal;
  }

  private toMatches(text: string, runs: Int32Array[], contextual: boolean, heard?: Int32Array): LexiconMatch[] {
    // Aux phrase spans by index; term hits as (start, end, term, homophone).
    const auxSpans = new Map<number, number[]>();
    const hits: number[] = [];
    const seen = new Set<string>();
    const take = (raw: Int32Array, homophone: number) => {
      for (let m = 0; m < raw.length; m += 3) {
        const start = raw[m];
        const end = raw[m + 1];
        const out = raw[m + 2];
        if (out >= this.size) {
          const list = auxSpans.get(out - this.size) ?? [];
          list.push(start, end);
          auxSpans.set(out - this.size, list);
          continue;
        }
        const key = `${start}:${end}:${out}`;
        if (seen.has(key)) continue;
        seen.add(key);
        hits.push(start, end, out, homophone);
      }
    };
    for (const r of runs) take(r, 0);
    if (heard) take(heard, 1);
    const covered = (spans: number[] | undefined, start: number, end: number) => {
      if (!spans) return false;
      for (let j = 0; j < spans.length; j += 2) if (spans[j] <= start && end <= spans[j + 1]) return true;
      return false;
    };
    const matches: LexiconMatch[] = [];
    for (let h = 0; h < hits.length; h += 4) {
      const [start, end, out, homophone] = [hits[h], hits[h + 1], hits[h + 2], hits[h + 3]];
      let allowed = false;
      for (const [a, spans] of auxSpans) if (this.aux[a].allow && covered(spans, start, end)) allowed = true;
      if (allowed) continue;
      const t = this.terms[out];
      if (contextual && !this.contextHolds(text, out, start, end, auxSpans, covered)) continue;
      if (homophone === 1 && !this.soundsLikeEvasion(text, out, start, end)) continue;
      const match: LexiconMatch = { start, end, term: t.term, variant: text.slice(start, end), category: t.category, severity: t.severity };
      if (t.lexicon !== undefined) match.lexicon = t.lexicon;
      if (t.id !== undefined) match.id = t.id;
      if (t.context !== undefined) match.context = t.context;
      if (homophone === 1) {
        match.homophone = true;
        // Two characters that sound like a two-character term are too often ordinary words (引人 for
        // 淫人, 收腰 for 收药) to hold a story back: such a hit is a hint.
        if (this.hanLength[out] < 3) match.severity = 'info';
      }
      this.markInsideWord(text, match);
      matches.push(match);
    }
    matches.sort((a, b) => a.start - b.start || a.end - b.end);
    return matches;
  }

  /**
   * A homophone hit counts when it keeps at least half of the term's Han characters as written (evaders
   * swap one: 堵博; ordinary prose that sounds alike swaps them all: 由于 for 幼欲, 并有 for 冰油) and,
   * with a segmenter, stands as its own words rather than one dictionary word or parts of two.
   */
  private soundsLikeEvasion(text: string, out: number, start: number, end: number): boolean {
    const key = this.foldKey(this.terms[out].term, this.unitMap);
    const written = this.foldKey(text.slice(start, end), this.unitMap);
    let han = 0;
    let kept = 0;
    for (let i = 0; i < key.length; i++) {
      if (!HAN.test(String.fromCharCode(key[i]))) continue;
      han++;
      if (written[i] === key[i]) kept++;
    }
    if (kept * 2 < han) return false;
    return !this.segment || soundAlikeStands(text, start, end, this.segment);
  }

  /**
   * A plain hit that the segmenter reads as the inside of a longer word (干机 in 烘干机, 机插 in 机插秧)
   * is most often ordinary prose, but an evader could lean on it too: it drops one tier rather than
   * vanishing, and names the word so an editor sees why.
   */
  private markInsideWord(text: string, match: LexiconMatch) {
    if (!this.segment || match.context?.wholeWord || match.severity === 'info') return;
    const word = wordAround(text, match.start, match.end, match.term, this.segment);
    if (!word) return;
    match.insideWord = word;
    match.severity = match.severity === 'block' ? 'review' : 'info';
  }

  /** The term's context: no exception covers the hit, a companion is near, the segmenter keeps it whole. */
  private contextHolds(text: string, out: number, start: number, end: number, auxSpans: Map<number, number[]>, covered: (s: number[] | undefined, a: number, b: number) => boolean) {
    const t = this.terms[out];
    if (!t.context) return true;
    for (const a of this.exceptAux[out] ?? []) if (covered(auxSpans.get(a), start, end)) return false;
    const near = this.nearAux[out];
    if (near) {
      const window = t.context.window ?? DEFAULT_NEAR_WINDOW;
      let found = false;
      for (const a of near) {
        const spans = auxSpans.get(a) ?? [];
        for (let j = 0; j < spans.length && !found; j += 2) {
          const [s, e] = [spans[j], spans[j + 1]];
          found = (e <= start && start - e <= window) || (s >= end && s - end <= window);
        }
      }
      if (!found) return false;
    }
    if (t.context.wholeWord && this.segment) return wholeWordAt(text, start, end, t.term, this.segment);
    return true;
  }
}

const nonEmpty = (list: string[] | undefined) => {
  const kept = list?.map((p) => p.trim()).filter((p) => p.length > 0);
  return kept && kept.length > 0 ? kept : undefined;
};

function unitsOf(s: string): number[] {
  const units: number[] = [];
  for (let i = 0; i < s.length; i++) units.push(s.charCodeAt(i));
  return units;
}
