// The typo checker as it stood before issue 14, frozen here as the benchmark's same-run baseline
// (bench/typo.bench.ts). Not used by the application. What follows is its original description.
//
// Typos (错别字). A typo usually breaks a word: 再接再厉 written 再接再励 no longer segments as a
// common word. So we look where the segmenter found only single characters or rare words, try each
// character's confusion candidates (same sound / same shape), and flag the spot when the substitution
// yields a word that is far more frequent than what is written. Tuned for precision: an editor ignores
// a checker that cries wolf, so weak candidates are dropped (see bench/typo.bench.ts for the threshold).
import { createRequire } from 'node:module';
import { entities, posTag } from '../src/modules/nlp/index.ts';
import { loadConfusions } from '../src/modules/screening/checks/confusion.ts';

interface TypoFinding {
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

interface TypoCheckerOptions {
  /** Word counts from the unit's own archive: its place names, people and jargon become known words. */
  extraCounts?: ReadonlyMap<string, number>;
  /** Minimum confidence to report; defaults to the threshold chosen by bench/typo.bench.ts. */
  threshold?: number;
}

/** Chosen on the THUCNews evaluation (bench/typo.bench.ts, docs/benchmarks.md): precision ≥ 0.8 there. */
const SHIPPED_THRESHOLD = 0.65;

// A multi-character token at least this frequent in jieba's dictionary is taken as correctly written.
const TRUSTED_WORD_FREQ = 50;
// The corrected word must be a real, reasonably common word, not one of the dictionary's rare oddities.
const MIN_SUGGESTION_FREQ = 30;
// How much the dictionary's single-character counts vouch for a split as written (在|说 is fine text).
const SPLIT_EVIDENCE = 0.01;
// confidence = r / (r + HALF) where r is the suggestion-to-original evidence ratio.
const HALF_CONFIDENCE_RATIO = 10;
const MAX_WINDOW = 4;
const DICTIONARY_WORD_WEIGHT = 50;

const require = createRequire(import.meta.url);
const HAN = /\p{Script=Han}/u;
const PROPER_NOUN_TAGS: ReadonlySet<string> = new Set(['nr', 'ns', 'nt', 'nz', 'nrt', 'nrfg']);

function readJiebaDictionary(): { freq: Map<string, number>; properNouns: Set<string> } {
  const { dict } = require('@node-rs/jieba/dict.js') as typeof import('@node-rs/jieba/dict.js');
  const freq = new Map<string, number>();
  const properNouns = new Set<string>();
  // Lines are "word freq tag"; words never contain spaces in jieba's format.
  for (const line of new TextDecoder().decode(dict).split('\n')) {
    const first = line.indexOf(' ');
    if (first <= 0) continue;
    const second = line.indexOf(' ', first + 1);
    const n = Number(line.slice(first + 1, second === -1 ? undefined : second));
    if (!Number.isFinite(n)) continue;
    const word = line.slice(0, first);
    freq.set(word, n);
    const tag = second === -1 ? '' : line.slice(second + 1).trim();
    if (PROPER_NOUN_TAGS.has(tag) && word.length >= 2) properNouns.add(word);
  }
  return { freq, properNouns };
}

interface Shared {
  freq: Map<string, number>;
  /** Place, person, organisation and other proper names: rare in counts, but written as intended. */
  properNouns: Set<string>;
  confusions: Map<string, Map<string, number>>;
}

let shared: Shared | undefined;
let defaultChecker: BaselineTypoChecker | undefined;

function sharedData(): Shared {
  shared ??= { ...readJiebaDictionary(), confusions: loadConfusions({ extra: false }) };
  return shared;
}

interface Candidate {
  start: number;
  end: number;
  wrong: string;
  suggestion: string;
  confidence: number;
}

export class BaselineTypoChecker {
  readonly threshold: number;

  private constructor(
    private readonly data: Shared,
    private readonly extra: ReadonlyMap<string, number>,
    threshold: number,
  ) {
    this.threshold = threshold;
  }

  /**
   * The checker, built on first use (jieba's dictionary and the confusion sets take a few hundred ms
   * to read); without options every caller shares one instance.
   */
  static load(opts: TypoCheckerOptions = {}): BaselineTypoChecker {
    if (!opts.extraCounts && opts.threshold === undefined) {
      defaultChecker ??= new BaselineTypoChecker(sharedData(), new Map(), SHIPPED_THRESHOLD);
      return defaultChecker;
    }
    return new BaselineTypoChecker(sharedData(), opts.extraCounts ?? new Map(), opts.threshold ?? SHIPPED_THRESHOLD);
  }

  /** Dictionary plus archive count of a word (0 when unknown). */
  frequency(word: string): number {
    return (this.data.freq.get(word) ?? 0) + (this.extra.get(word) ?? 0);
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
    const tokens = posTag(text);
    // posTag runs on the half-width, Simplified text; that keeps lengths, so offsets carry over.
    const analysed = tokens.map((t) => t.word).join('');
    const boundaries = new Set<number>([0]);
    const trusted = new Uint8Array(analysed.length);
    let at = 0;
    for (const { word } of tokens) {
      if (word.length >= 2 && (this.frequency(word) >= TRUSTED_WORD_FREQ || this.data.properNouns.has(word))) {
        trusted.fill(1, at, at + word.length);
      }
      at += word.length;
      boundaries.add(at);
    }
    // People's names split into single characters (李|明) and would "correct" to words (黎明).
    for (const person of entities(text).people) {
      for (let p = analysed.indexOf(person.name); p !== -1; p = analysed.indexOf(person.name, p + 1)) {
        trusted.fill(1, p, p + person.name.length);
      }
    }

    const found: Candidate[] = [];
    for (let i = 0; i < analysed.length; i++) {
      if (trusted[i] || !HAN.test(analysed[i])) continue;
      const best = this.bestAt(analysed, i, boundaries);
      if (best) found.push(best);
    }
    return pickNonOverlapping(found, text);
  }

  private bestAt(text: string, i: number, boundaries: ReadonlySet<number>): Candidate | undefined {
    const confusions = this.data.confusions.get(text[i]);
    if (!confusions) return undefined;
    let best: Candidate | undefined;
    for (let length = 2; length <= MAX_WINDOW; length++) {
      for (let start = Math.max(0, i - length + 1); start <= i; start++) {
        const end = start + length;
        if (end > text.length || !boundaries.has(start) || !boundaries.has(end)) continue;
        const window = text.slice(start, end);
        if (!allHan(window)) continue;
        const evidence = this.originalEvidence(window, start, boundaries);
        for (const [candidate, prior] of confusions) {
          const suggestion = window.slice(0, i - start) + candidate + window.slice(i - start + 1);
          const f = this.frequency(suggestion);
          if (f < MIN_SUGGESTION_FREQ) continue;
          const ratio = (prior * f) / (evidence + 1);
          const confidence = ratio / (ratio + HALF_CONFIDENCE_RATIO);
          if (!best || confidence > best.confidence) best = { start, end, wrong: window, suggestion, confidence };
        }
      }
    }
    return best;
  }

  /**
   * How well the text as written stands: its own frequency as a word, or, when the segmenter split
   * it, a small share of its weakest piece's frequency (common single characters combine freely).
   */
  private originalEvidence(window: string, start: number, boundaries: ReadonlySet<number>): number {
    // A two- or three-character dictionary word is almost never a slip, however rare (通缩, 内测); the
    // dictionary does carry some misspelt idioms (再接再励, count 3), so four-character ones count as is.
    const asWord = this.frequency(window) * (window.length >= 4 ? 1 : DICTIONARY_WORD_WEIGHT);
    let weakest = Number.POSITIVE_INFINITY;
    let pieces = 0;
    let pieceStart = 0;
    for (let k = 1; k <= window.length; k++) {
      if (!boundaries.has(start + k)) continue;
      weakest = Math.min(weakest, this.frequency(window.slice(pieceStart, k)));
      pieceStart = k;
      pieces++;
    }
    // Every junction between pieces is one more chance that they do not belong together.
    const split = pieces >= 2 ? weakest * SPLIT_EVIDENCE ** (pieces - 1) : 0;
    return Math.max(asWord, split);
  }
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
