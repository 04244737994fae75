// The project's evasion generator: writes a lexicon term the ways people write it to get past a
// filter, inside an ordinary sentence, so tests and the benchmark can measure recall. Deterministic
// (seeded), so a figure can be reproduced.
import { readFileSync } from 'node:fs';
import type { LexiconTerm } from './types.ts';
import { random } from '../../../platform/random.ts';

export const EVASION_KINDS = ['plain', 'spaces', 'symbols', 'zero-width', 'emoji', 'letters', 'homophone'] as const;
export type EvasionKind = (typeof EVASION_KINDS)[number];

export interface Evasion {
  term: LexiconTerm;
  kind: EvasionKind;
  /** The sentence that carries the evaded term (with a companion when the term needs one). */
  text: string;
}

/** Separators of each kind; ASCII marks are how evaders cross punctuation (赌.博, 赌/博). */
const SEPARATORS: Record<Exclude<EvasionKind, 'plain' | 'homophone'>, string[]> = {
  spaces: [' ', '\u3000', '  '],
  symbols: ['*', '.', '-', '_', '·', '/', '#', '~', '|', '+'],
  'zero-width': ['\u200b', '\u200c', '\u200d', '\ufeff'],
  emoji: ['😀', '❤️', '🔥', '👍🏽'],
  letters: ['x', 'a', '1', '9', 'Q'],
};


let sameSound: Map<string, string[]> | undefined;
/** Characters of the same toneless reading, from the shipped table. */
function homophonesOf(ch: string): string[] {
  if (!sameSound) {
    sameSound = new Map();
    const text = readFileSync(new URL('./data/pinyin-toneless.txt', import.meta.url), 'utf8');
    for (const line of text.split('\n')) {
      if (line.length === 0 || line.startsWith('#')) continue;
      const chars = [...line.slice(line.indexOf('\t') + 1)];
      for (const c of chars) sameSound.set(c, chars);
    }
  }
  return (sameSound.get(ch) ?? []).filter((c) => c !== ch);
}

const HAN = /^\p{Script=Han}$/u;

/** The term evaded one way; undefined when that way does not apply (homophones of a Latin term). */
function evade(term: string, kind: EvasionKind, rnd: () => number): string | undefined {
  const chars = [...term];
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
  if (kind === 'plain') return term;
  if (kind === 'homophone') {
    const at = chars.map((c, i) => (HAN.test(c) && homophonesOf(c).length > 0 ? i : -1)).filter((i) => i >= 0);
    if (at.length === 0) return undefined;
    const i = pick(at);
    chars[i] = pick(homophonesOf(chars[i]));
    return chars.join('');
  }
  if (chars.length < 2) return undefined;
  // Letters slip in only between Han characters of a Han term: in a Latin term they would be the term.
  if (kind === 'letters' && !chars.every((c) => HAN.test(c))) return undefined;
  const seps = SEPARATORS[kind];
  return chars.map((c, i) => (i === 0 ? c : pick(seps) + c)).join('');
}

/** Ordinary sentences a term is dropped into; each starts and ends on punctuation so the term stands alone. */
const CARRIERS = ['网友反映，有人在群里发{}，请核实。', '据群众举报：{}，警方已介入。', '记者发现一则广告称“{}”，随即报警。'];

/**
 * For each term and each kind that applies, one sentence that carries it. A term with `near`
 * companions gets its first companion next to it, as the rule requires.
 */
export function generateEvasions(terms: LexiconTerm[], kinds: readonly EvasionKind[] = EVASION_KINDS, seed = 14): Evasion[] {
  const rnd = random(seed);
  const out: Evasion[] = [];
  for (const term of terms) {
    for (const kind of kinds) {
      const evaded = evade(term.term, kind, rnd);
      if (evaded === undefined) continue;
      const companion = term.context?.near?.[0];
      const phrase = companion ? `${companion}${evaded}` : evaded;
      out.push({ term, kind, text: CARRIERS[Math.floor(rnd() * CARRIERS.length)].replace('{}', phrase) });
    }
  }
  return out;
}
