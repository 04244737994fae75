// Typos (错别字). Every character is examined, inside words too (发源 written for 法院): each of its
// confusion candidates (same sound / same shape) is tried, and the stretch around it is scored with a
// word language model (typo-lm.ts) as written and as corrected. A candidate is reported when the
// corrected text is far more likely. Changing a character inside a common word needs more evidence
// than repairing a broken one, and a correction never fuses words across a boundary the segmenter is
// sure of (所在|的 does not become 所在地). The particles 的/地/得 are judged by grammar (particles.ts).
// Tuned for precision: an editor ignores a checker that cries wolf (bench/typo.bench.ts).
import { createRequire } from 'node:module';
import { entities, posTag, type TaggedWord } from '../../nlp/index.ts';
import { loadConfusions } from './confusion.ts';
import type { Finding } from './finding.ts';
import { particleFixes } from './particles.ts';
import { type BigramCounts, learnBigrams, WordModel } from './typo-lm.ts';

export interface TypoFinding {
  /** UTF-16 offsets of the wrong span in the checked text. */
  start: number;
  end: number;
  /** The span as written, e.g. 再接再励. */
  wrong: string;
  /** The span corrected, e.g. 再接再厉. */
  suggestion: string;
  /** 0–1; findings below the shipped threshold are not returned. */
  confidence: number;
  message: string;
}

export interface TypoCheckerOptions {
  /** Word counts from the unit's own archive: its place names, people and jargon become known words. */
  extraCounts?: ReadonlyMap<string, number>;
  /** Minimum confidence to report; defaults to the threshold chosen by bench/typo.bench.ts. */
  threshold?: number;
  /**
   * Published stories (the alliance's own copy) to learn word pairs from: context that tells 向法院起诉
   * from 长江发源于. Without them the model knows words but not which follow which.
   */
  stories?: Iterable<string>;
}

/** Chosen on the SIGHAN-2015 development half (bench/typo.bench.ts, docs/benchmarks.md). */
export const SHIPPED_THRESHOLD = 0.65;

// A multi-character token at least this frequent in jieba's dictionary is taken as a real word.
const TRUSTED_WORD_FREQ = 50;
// Function characters the segmenter is sure of as words of their own: a boundary next to one of them
// (when the other side is a real word too) is never crossed by a correction.
const FUNCTION_CHARS: ReadonlySet<string> = new Set(['的', '地', '得', '了', '着', '过', '和', '与', '是', '在', '也', '都', '就']);
// Log-probability gain (natural log) at which a candidate reaches confidence 0.5.
const GAIN_AT_HALF = 5;
// Extra gain needed to change a character inside a real word (a real-word slip is rarer than a broken word).
const IN_WORD_PENALTY = 3;
// How far around the character the scored stretch reaches, in whole tokens each side.
const CONTEXT_TOKENS = 1;
const MAX_CANDIDATE_WORD = 4;

const require = createRequire(import.meta.url);
const HAN = /\p{Script=Han}/u;
const PROPER_NOUN_TAGS: ReadonlySet<string> = new Set(['nr', 'ns', 'nt', 'nz', 'nrt', 'nrfg']);

interface Dictionary {
  freq: Map<string, number>;
  total: number;
  /** Place, person, organisation and other proper names: rare in counts, but written as intended. */
  properNouns: Set<string>;
}

function readJiebaDictionary(): Dictionary {
  const { dict } = require('@node-rs/jieba/dict.js') as typeof import('@node-rs/jieba/dict.js');
  const freq = new Map<string, number>();
  const properNouns = new Set<string>();
  let total = 0;
  // Lines are "word freq tag"; words never contain spaces in jieba's format.
  for (const line of new TextDecoder().decode(dict).split('\n')) {
    const first = line.indexOf(' ');
    if (first <= 0) continue;
    const second = line.indexOf(' ', first + 1);
    const n = Number(line.slice(first + 1, second === -1 ? undefined : second));
    if (!Number.isFinite(n)) continue;
    const word = line.slice(0, first);
    freq.set(word, n);
    total += n;
    const tag = second === -1 ? '' : line.slice(second + 1).trim();
    if (PROPER_NOUN_TAGS.has(tag) && word.length >= 2) properNouns.add(word);
  }
  return { freq, total, properNouns };
}

interface Shared extends Dictionary {
  confusions: Map<string, Map<string, number>>;
  /** The same-sound part of the confusions only (whole-word homophones). */
  homophones: Map<string, Map<string, number>>;
  adjacent: Set<string>;
}

function adjacentPairs(words: Iterable<string>, isRealWord: (w: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const w of words) {
    if (!isRealWord(w)) continue;
    for (let k = 1; k < w.length; k++) out.add(w.slice(k - 1, k + 1));
  }
  return out;
}

let shared: Shared | undefined;
let defaultChecker: TypoChecker | undefined;

function sharedData(): Shared {
  if (!shared) {
    const dictionary = readJiebaDictionary();
    const real = (w: string) => w.length >= 2 && ((dictionary.freq.get(w) ?? 0) >= TRUSTED_WORD_FREQ || dictionary.properNouns.has(w));
    shared = {
      ...dictionary,
      confusions: loadConfusions(),
      homophones: loadConfusions({ shapes: false }),
      adjacent: adjacentPairs(dictionary.freq.keys(), real),
    };
  }
  return shared;
}

interface Candidate {
  start: number;
  end: number;
  wrong: string;
  suggestion: string;
  confidence: number;
}

/** The tagged text with what the checker needs to know about each position. */
interface Analysis {
  text: string;
  tokens: TaggedWord[];
  /** Start offset of each token, plus the text length at the end. */
  starts: number[];
  /** Token index of each character. */
  tokenAt: Int32Array;
  /** 1 where the character belongs to a name the checker must leave alone. */
  protectedChar: Uint8Array;
  /** Offsets of boundaries the segmenter is sure of. */
  confident: Set<number>;
}

export class TypoChecker {
  readonly threshold: number;
  private readonly model: WordModel;
  /** Every two characters that stand side by side in some real word: rules most candidates out at once. */
  private readonly adjacent: ReadonlySet<string>;

  private constructor(
    private readonly data: Shared,
    private readonly extra: ReadonlyMap<string, number>,
    threshold: number,
    bigrams?: BigramCounts,
  ) {
    this.threshold = threshold;
    this.adjacent = extra.size === 0 ? data.adjacent : adjacentPairs([...data.freq.keys(), ...extra.keys()], (w) => this.isRealWord(w));
    // jieba's dictionary carries some misspelt idioms with tiny counts (再接再励, 3): a rare word of four
    // characters or more is no evidence that it was meant.
    const count = (w: string) => {
      const n = this.frequency(w);
      return w.length >= 4 && n < TRUSTED_WORD_FREQ ? 0 : n;
    };
    this.model = new WordModel(count, data.total, bigrams);
  }

  /**
   * The checker, built on first use (jieba's dictionary and the confusion sets take a few hundred ms
   * to read); without options every caller shares one instance.
   */
  static load(opts: TypoCheckerOptions = {}): TypoChecker {
    if (!opts.extraCounts && opts.threshold === undefined && !opts.stories) {
      defaultChecker ??= new TypoChecker(sharedData(), new Map(), SHIPPED_THRESHOLD);
      return defaultChecker;
    }
    const bigrams = opts.stories ? learnBigrams(storyWords(opts.stories)) : undefined;
    return new TypoChecker(sharedData(), opts.extraCounts ?? new Map(), opts.threshold ?? SHIPPED_THRESHOLD, bigrams);
  }

  /** Dictionary plus archive count of a word (0 when unknown). */
  frequency(word: string): number {
    const known = this.data.freq.get(word) ?? 0;
    return this.extra.size === 0 ? known : known + (this.extra.get(word) ?? 0);
  }

  check(text: string): TypoFinding[] {
    return this.candidates(text)
      .filter((c) => c.confidence >= this.threshold)
      .map((c) => ({
        ...c,
        confidence: Math.round(c.confidence * 1000) / 1000,
        message: `疑似错别字：“${c.wrong}”可能应为“${c.suggestion}”。`,
      }));
  }

  /** Every candidate with its confidence, best per span and not overlapping; for tuning and the benchmark. */
  candidates(text: string): Candidate[] {
    const a = this.analyse(text);
    const found: Candidate[] = [];
    for (let i = 0; i < a.text.length; i++) {
      if (a.protectedChar[i] || !HAN.test(a.text[i])) continue;
      const best = this.bestAt(a, i);
      if (best) found.push(best);
    }
    a.tokens.forEach((_, k) => {
      const best = this.bestWordAt(a, k);
      if (best) found.push(best);
    });
    for (const fix of particleFixes(a.tokens)) {
      found.push({ start: fix.at, end: fix.at + 1, wrong: fix.wrong, suggestion: fix.suggestion, confidence: fix.confidence });
    }
    return pickNonOverlapping(found, text);
  }

  private isRealWord(word: string): boolean {
    return word.length >= 2 && (this.frequency(word) >= TRUSTED_WORD_FREQ || this.data.properNouns.has(word));
  }

  private analyse(text: string): Analysis {
    const tokens = posTag(text);
    // posTag runs on the half-width, Simplified text; that keeps lengths, so offsets carry over.
    const analysed = tokens.map((t) => t.word).join('');
    const starts: number[] = [];
    const tokenAt = new Int32Array(analysed.length);
    const protectedChar = new Uint8Array(analysed.length);
    let at = 0;
    tokens.forEach((t, k) => {
      starts.push(at);
      tokenAt.fill(k, at, at + t.word.length);
      if (this.data.properNouns.has(t.word)) protectedChar.fill(1, at, at + t.word.length);
      at += t.word.length;
    });
    starts.push(at);
    // People's names split into single characters (李|明) and would "correct" to words (黎明).
    for (const person of entities(text).people) {
      for (let p = analysed.indexOf(person.name); p !== -1; p = analysed.indexOf(person.name, p + 1)) {
        protectedChar.fill(1, p, p + person.name.length);
      }
    }
    const sure = (w: string) => this.isRealWord(w) || FUNCTION_CHARS.has(w);
    const confident = new Set<number>();
    for (let k = 1; k < tokens.length; k++) {
      if (sure(tokens[k - 1].word) && sure(tokens[k].word)) confident.add(starts[k]);
    }
    return { text: analysed, tokens, starts, tokenAt, protectedChar, confident };
  }

  /**
   * The stretch scored around character i, in whole tokens of Han text: CONTEXT_TOKENS each side, and
   * enough for any candidate word through i (一|愁|莫|展 must reach 展 to become 一筹莫展).
   */
  private stretch(a: Analysis, i: number): { from: number; to: number; left?: string; right?: string } {
    const k = a.tokenAt[i];
    const isHanToken = (j: number) => j >= 0 && j < a.tokens.length && allHan(a.tokens[j].word);
    let first = k;
    let last = k;
    for (let n = 0; isHanToken(first - 1) && (n < CONTEXT_TOKENS || a.starts[first] > i - MAX_CANDIDATE_WORD + 1); n++) first--;
    for (let n = 0; isHanToken(last + 1) && (n < CONTEXT_TOKENS || a.starts[last + 1] < i + MAX_CANDIDATE_WORD); n++) last++;
    return {
      from: a.starts[first],
      to: a.starts[last + 1],
      left: isHanToken(first - 1) ? a.tokens[first - 1].word : undefined,
      right: isHanToken(last + 1) ? a.tokens[last + 1].word : undefined,
    };
  }

  /** Whether some word of 2–4 characters through position i reads as a dictionary word with c there. */
  private makesWord(text: string, i: number, c: string, from: number, to: number, confident: ReadonlySet<number>): boolean {
    // Cheap first: a real word through i holds c next to one of its neighbours.
    if (!(i > from && this.adjacent.has(text[i - 1] + c)) && !(i + 1 < to && this.adjacent.has(c + text[i + 1]))) return false;
    for (let length = 2; length <= MAX_CANDIDATE_WORD; length++) {
      for (let start = Math.max(from, i - length + 1); start <= i && start + length <= to; start++) {
        let crosses = false;
        for (let b = start + 1; b < start + length; b++) if (confident.has(b)) crosses = true;
        if (crosses) continue;
        const word = text.slice(start, i) + c + text.slice(i + 1, start + length);
        if (this.isRealWord(word)) return true;
      }
    }
    return false;
  }

  private bestAt(a: Analysis, i: number): Candidate | undefined {
    const confusions = this.data.confusions.get(a.text[i]);
    if (!confusions) return undefined;
    const token = a.tokens[a.tokenAt[i]].word;
    const penalty = this.isRealWord(token) ? IN_WORD_PENALTY : 0;
    const judge = this.judge(a, i);
    let best: Candidate | undefined;
    for (const [c, prior] of confusions) {
      const { from, to } = judge;
      if (!this.makesWord(a.text, i, c, from, to, a.confident)) continue;
      const found = judge.try(i, c, Math.log(prior) - penalty);
      if (!best || found.confidence > best.confidence) best = found;
    }
    return best;
  }

  /**
   * Whole-word homophones of a two-character real word (同志 → 通知, 肠胃 → 常委): both characters
   * swapped for same-sound ones make another real word. Context decides, so this needs the learned word
   * pairs: on unigram counts alone it could not beat the in-word penalty, so it is skipped (and costs
   * nothing) until the checker has learned from stories.
   */
  private bestWordAt(a: Analysis, k: number): Candidate | undefined {
    const word = a.tokens[k].word;
    const at = a.starts[k];
    if (!this.model.hasContext || word.length !== 2 || !this.isRealWord(word) || a.protectedChar[at]) return undefined;
    const first = this.data.homophones.get(word[0]);
    const second = this.data.homophones.get(word[1]);
    if (!first || !second) return undefined;
    const judge = this.judge(a, at);
    let best: Candidate | undefined;
    for (const [c1, p1] of first) {
      for (const [c2, p2] of second) {
        if (!this.isRealWord(c1 + c2)) continue;
        const found = judge.try(at, c1 + c2, Math.log(p1 * p2) - IN_WORD_PENALTY);
        if (!best || found.confidence > best.confidence) best = found;
      }
    }
    return best;
  }

  /** Scores replacements of the text at offset `at` against the stretch around it as written. */
  private judge(a: Analysis, i: number) {
    const { from, to, left, right } = this.stretch(a, i);
    const fixed = new Set<number>();
    for (const b of a.confident) if (b > from && b < to) fixed.add(b - from);
    const original = a.text.slice(from, to);
    let asWritten: number | undefined;
    return {
      from,
      to,
      try: (at: number, replacement: string, bias: number): Candidate => {
        asWritten ??= this.model.score(original, fixed, left, right).logProb;
        const changed = original.slice(0, at - from) + replacement + original.slice(at - from + replacement.length);
        const scored = this.model.score(changed, fixed, left, right);
        const gain = scored.logProb - asWritten + bias;
        const confidence = 1 / (1 + Math.exp(GAIN_AT_HALF - gain));
        // Report the corrected word(s) holding the change, as the writer will recognise them.
        const first = scored.cuts.findLast((x) => x <= at - from) ?? 0;
        const last = scored.cuts.find((x) => x >= at - from + replacement.length) ?? original.length;
        const start = from + first;
        const end = from + last;
        return { start, end, wrong: a.text.slice(start, end), suggestion: changed.slice(first, last), confidence };
      },
    };
  }
}

/** Stories as word lists, for learning word pairs. */
function* storyWords(stories: Iterable<string>): Iterable<string[]> {
  for (const story of stories) yield posTag(story).map((t) => t.word);
}

function allHan(s: string): boolean {
  for (const c of s) if (!HAN.test(c)) return false;
  return true;
}

/** Highest confidence first; a span overlapping a better one is dropped. Spans report the original text. */
function pickNonOverlapping(found: Candidate[], original: string): Candidate[] {
  const kept: Candidate[] = [];
  for (const c of [...found].sort((a, b) => b.confidence - a.confidence)) {
    if (kept.some((k) => c.start < k.end && k.start < c.end)) continue;
    kept.push({ ...c, wrong: original.slice(c.start, c.end) });
  }
  return kept.sort((a, b) => a.start - b.start);
}

export const TYPO_RULE = 'typo';

/** Typo findings in the common `Finding` shape, for the newsroom hook and patrol. */
export function typoFindings(findings: readonly TypoFinding[]): Finding[] {
  return findings.map((f) => ({
    rule: TYPO_RULE,
    severity: 'review',
    message: f.message,
    start: f.start,
    end: f.end,
    suggestion: f.suggestion,
    confidence: f.confidence,
  }));
}
