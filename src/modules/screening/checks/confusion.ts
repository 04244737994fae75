// Confusion sets (形近/音近字): which characters a writer or an input method puts in place of another.
// Data from pycorrector (Apache-2.0, see data/LICENSE-pycorrector.txt): same_pinyin.txt lines are
// "char<TAB>same sound and tone<TAB>same sound, other tone"; same_stroke.txt lines are groups of
// look-alike characters, each confusable with every other in its line. data/confusion-extra.txt adds
// pairs those sets lack (他/她, the in/ing merger of Sichuan speech), each with its documented reason.
import { readFileSync } from 'node:fs';

/** candidate → prior weight in (0, 1]: how likely this particular slip is, relative to the others. */
export type ConfusionSet = ReadonlyMap<string, number>;

// A different tone is a weaker slip than an exact homophone: pinyin input offers homophones of every
// tone, but writers' own errors are mostly same-syllable, same-tone. Look-alikes sit in between.
const SAME_TONE = 1;
const LOOK_ALIKE = 0.8;
const OTHER_TONE = 0.6;

function add(map: Map<string, Map<string, number>>, from: string, to: string, weight: number): void {
  if (from === to) return;
  let set = map.get(from);
  if (!set) map.set(from, (set = new Map()));
  if ((set.get(to) ?? 0) < weight) set.set(to, weight);
}

function chars(column: string | undefined): string[] {
  return column ? Array.from(column.trim()).filter((c) => /\p{Script=Han}/u.test(c)) : [];
}

/**
 * `extra: false` leaves out data/confusion-extra.txt (the benchmark's frozen baseline predates it);
 * `shapes: false` keeps the same-sound sets only.
 */
export function loadConfusions(opts: { extra?: boolean; shapes?: boolean } = {}): Map<string, Map<string, number>> {
  const map = new Map<string, Map<string, number>>();
  const pinyin = readFileSync(new URL('./data/same_pinyin.txt', import.meta.url), 'utf8');
  for (const line of pinyin.split('\n')) {
    if (line.startsWith('#')) continue;
    const [key, sameTone, otherTone] = line.split('\t');
    const [char] = chars(key);
    if (!char) continue;
    // Symmetric: if 厉 is mistyped as 励, 励 may equally be mistyped as 厉.
    for (const c of chars(sameTone)) (add(map, char, c, SAME_TONE), add(map, c, char, SAME_TONE));
    for (const c of chars(otherTone)) (add(map, char, c, OTHER_TONE), add(map, c, char, OTHER_TONE));
  }
  const stroke = readFileSync(new URL('./data/same_stroke.txt', import.meta.url), 'utf8');
  for (const line of opts.shapes === false ? [] : stroke.split('\n')) {
    const group = line.split(/\s+/).flatMap((part) => chars(part));
    for (const a of group) for (const b of group) add(map, a, b, LOOK_ALIKE);
  }
  if (opts.extra === false) return map;
  const extra = readFileSync(new URL('./data/confusion-extra.txt', import.meta.url), 'utf8');
  for (const line of extra.split('\n')) {
    if (line.startsWith('#')) continue;
    const group = chars(line.split('\t')[0]);
    for (const a of group) for (const b of group) add(map, a, b, SAME_TONE);
  }
  return map;
}
