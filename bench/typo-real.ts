// Scoring a typo checker on real error corpora (SIGHAN-2015 learners' essays, MCSC medical queries):
// `wrong<TAB>right` pairs of equal length. Each pair gives two test sentences, the wrong one and the
// right one, so half the test set is correct text (as in the SIGHAN-15 test set) and false flags count.
// Sentence-level figures follow the SIGHAN convention:
// - detection is right when the set of flagged positions equals the set of wrong positions;
// - correction is right when the corrected sentence equals the right sentence (strict).
// Character-level correction: of the characters the checker changed, how many it changed to the right
// character (precision), and of the wrong characters, how many it put right (recall).
import { readFileSync } from 'node:fs';
import { normalizeText } from '../src/modules/nlp/index.ts';

export interface Pair {
  wrong: string;
  right: string;
}

export interface Edit {
  start: number;
  end: number;
  suggestion: string;
}

export interface RealScore {
  sentences: number;
  detection: { precision: number; recall: number; f1: number };
  correction: { precision: number; recall: number; f1: number };
  /** Share of wrong sentences with at least one flag anywhere (the loose reading). */
  flaggedWrong: number;
  /** Share of right sentences with any flag. */
  flaggedRight: number;
  charCorrection: { precision: number; recall: number };
}

/** Pairs whose two sides have the same length (a few corpus lines add or drop a character: skipped). */
export function readPairs(file: string): Pair[] {
  const out: Pair[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [wrong, right] = line.split('\t');
    if (!wrong || !right) continue;
    const w = normalizeText(wrong.trim());
    const r = normalizeText(right.trim());
    if (w.length === r.length) out.push({ wrong: w, right: r });
  }
  return out;
}

function positions(a: string, b: string): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.add(i);
  return out;
}

function apply(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.start - x.start)) {
    if (e.suggestion.length !== e.end - e.start) continue;
    out = out.slice(0, e.start) + e.suggestion + out.slice(e.end);
  }
  return out;
}

const sameSet = (a: Set<number>, b: Set<number>) => a.size === b.size && [...a].every((x) => b.has(x));
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const share = (n: number, d: number) => (d === 0 ? 0 : n / d);

export function scoreReal(pairs: readonly Pair[], check: (text: string) => Edit[]): RealScore {
  let detTp = 0, detFp = 0, corTp = 0, corFp = 0, wrongSentences = 0, flaggedWrong = 0, flaggedRight = 0, rightSentences = 0;
  let charChanged = 0, charRight = 0, charWrong = 0;
  const one = (text: string, gold: string) => {
    const corrected = apply(text, check(text));
    const goldPos = positions(text, gold);
    const predPos = positions(text, corrected);
    if (goldPos.size > 0) wrongSentences++;
    else rightSentences++;
    if (predPos.size > 0) {
      if (goldPos.size > 0) flaggedWrong++;
      else flaggedRight++;
      if (sameSet(goldPos, predPos)) detTp++;
      else detFp++;
      if (corrected === gold) corTp++;
      else corFp++;
    }
    for (const i of predPos) {
      charChanged++;
      if (corrected[i] === gold[i]) charRight++;
    }
    charWrong += goldPos.size;
  };
  for (const p of pairs) {
    one(p.wrong, p.right);
    one(p.right, p.right);
  }
  const dp = share(detTp, detTp + detFp), dr = share(detTp, wrongSentences);
  const cp = share(corTp, corTp + corFp), cr = share(corTp, wrongSentences);
  return {
    sentences: wrongSentences + rightSentences,
    detection: { precision: dp, recall: dr, f1: f1(dp, dr) },
    correction: { precision: cp, recall: cr, f1: f1(cp, cr) },
    flaggedWrong: share(flaggedWrong, wrongSentences),
    flaggedRight: share(flaggedRight, rightSentences),
    charCorrection: { precision: share(charRight, charChanged), recall: share(charRight, charWrong) },
  };
}

export interface Checker {
  label: string;
  check: (text: string) => Edit[];
}

export interface SetResult {
  set: string;
  checker: string;
  score: RealScore;
  charsPerSecond: number;
}

/** Scores each checker on the pairs, timing it on the same text. */
export function compare(set: string, pairs: readonly Pair[], checkers: readonly Checker[]): SetResult[] {
  const chars = pairs.reduce((n, p) => n + p.wrong.length + p.right.length, 0);
  return checkers.map((c) => {
    const started = performance.now();
    const score = scoreReal(pairs, c.check);
    return { set, checker: c.label, score, charsPerSecond: chars / ((performance.now() - started) / 1000) };
  });
}

const fmt = (n: number) => n.toFixed(3);

/** One table row per set and checker, for people. */
export function printTable(results: readonly SetResult[]): void {
  const header = ['set', 'checker', 'det P', 'det R', 'det F1', 'cor P', 'cor R', 'cor F1', 'char P', 'char R', 'wrong flagged', 'right flagged', 'chars/s'];
  const rows = results.map((r) => [
    r.set,
    r.checker,
    fmt(r.score.detection.precision),
    fmt(r.score.detection.recall),
    fmt(r.score.detection.f1),
    fmt(r.score.correction.precision),
    fmt(r.score.correction.recall),
    fmt(r.score.correction.f1),
    fmt(r.score.charCorrection.precision),
    fmt(r.score.charCorrection.recall),
    fmt(r.score.flaggedWrong),
    fmt(r.score.flaggedRight),
    String(Math.round(r.charsPerSecond)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(`\n${line(header)}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}
