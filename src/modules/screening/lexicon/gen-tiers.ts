// Regenerates data/houbb-tiers.tsv: how each houbb term leaves its tag's tier, decided by how often
// it occurs in general Chinese text. Run with
//   node bin/run-ts.js src/modules/screening/lexicon/gen-tiers.ts
// Frequency is jieba's (the dictionary @node-rs/jieba ships: counts of 349k words over a general
// corpus of about 60 million words). A term in the dictionary has its own count; a longer term is
// estimated with jieba's unigram model over its segmentation (product of its words' probabilities).
// The rules, fixed before any news text is looked at:
//   - a word of jieba's general dictionary is ordinary Chinese (电影, 日本, 证券, 毒品): news reports
//     use it. It is demoted to info — unless it is common (at least COMMON per 60M words, ≈ 1.7 a
//     million) and the list itself pairs it with a few companions (出售手枪 → 手枪 near 出售): then it
//     keeps its tier, but only near one of them;
//     A phrase the dictionary lacks but its unigram model expects COMMON times is ordinary too (日本人);
//   - a phrase the dictionary lacks but that its unigram model expects at least RARE times is made
//     of common words (日他 = 日 + 他, as in 19日他说): a hit only as a whole word by the segmenter,
//     and never more than review;
//   - anything rarer is not ordinary prose and keeps its tag's tier as is.
// Terms not listed in the output keep their tag's tier without context.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HOUBB_LEXICON_URL } from './houbb.ts';
import { HOUBB_NEAR_WINDOW } from './parse.ts';

const require = createRequire(import.meta.url);
const { dict } = require('@node-rs/jieba/dict.js') as typeof import('@node-rs/jieba/dict.js');
const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');

export const COMMON = 100;
export const RARE = 5;
/** A companion must pair with at least this many different ordinary words in the list: a trading word, not a one-off. */
const COMPANION_SPREAD = 3;

/** A word the list pairs with more companions than this (销售, 出售: anything can be sold) is no evidence of anything. */
const MAX_COMPANIONS = 12;

const freq = new Map<string, number>();
let total = 0;
for (const line of new TextDecoder().decode(dict).split('\n')) {
  const [word, n] = line.split(' ');
  if (!word || !Number.isFinite(Number(n))) continue;
  freq.set(word, Number(n));
  total += Number(n);
}
const jieba = Jieba.withDict(dict);

/** Expected count in jieba's corpus: the dictionary's own, else the unigram model over its words. */
function estimate(term: string): { count: number; words: string[] } {
  const own = freq.get(term);
  if (own !== undefined) return { count: own, words: [term] };
  const words = jieba.cut(term, false);
  // Half a count for a word the dictionary lacks (the usual add-½ smoothing).
  const logP = words.reduce((sum, w) => sum + Math.log((freq.get(w) ?? 0.5) / total), 0);
  return { count: Math.exp(logP) * total, words };
}

const entries = readFileSync(HOUBB_LEXICON_URL, 'utf8')
  .split('\n')
  .filter((l) => l.trim().length > 0)
  .map((l) => {
    const space = l.lastIndexOf(' ');
    return { term: l.slice(0, space).trim(), tags: l.slice(space + 1) };
  });
const terms = new Set(entries.map((e) => e.term));
const rated = entries.map((e) => ({ ...e, ...estimate(e.term) }));
const common = new Set(rated.filter((r) => r.count >= COMMON).map((r) => r.term));

// Companions: the list's own compounds of an ordinary word with a 2–4 character affix (出售手枪 → 出售).
const affixesOf = new Map<string, Set<string>>();
for (const w of common) {
  for (const t of terms) {
    if (t === w || t.length > w.length + 4) continue;
    const at = t.indexOf(w);
    if (at < 0) continue;
    const affix = at === 0 ? t.slice(w.length) : at + w.length === t.length ? t.slice(0, at) : '';
    if (affix.length < 2 || !/^\p{Script=Han}+$/u.test(affix)) continue;
    const set = affixesOf.get(w) ?? new Set<string>();
    set.add(affix);
    affixesOf.set(w, set);
  }
}
const spread = new Map<string, number>();
for (const set of affixesOf.values()) for (const a of set) spread.set(a, (spread.get(a) ?? 0) + 1);

const lines = ['# term\ttags\tdecision\tcompanions\testimated count per 60M words\tjieba words\treason'];
let demoted = 0;
let near = 0;
let whole = 0;
for (const r of rated.sort((a, b) => b.count - a.count)) {
  const own = freq.get(r.term);
  if (r.count < RARE && own === undefined) continue;
  const count = r.count >= 10 ? r.count.toFixed(0) : r.count.toFixed(1);
  const companions = [...(affixesOf.get(r.term) ?? [])].filter((a) => (spread.get(a) ?? 0) >= COMPANION_SPREAD).sort();
  if (r.count >= COMMON && companions.length > 0 && companions.length <= MAX_COMPANIONS) {
    near++;
    lines.push(`${r.term}\t${r.tags}\tnear\t${companions.join('|')}\t${count}\t${r.words.join('/')}\t常用词，仅在“${companions.slice(0, 3).join('、')}”等词附近（${HOUBB_NEAR_WINDOW} 字内）时按原级别`);
  } else if (own !== undefined || r.count >= COMMON) {
    demoted++;
    const why = r.count >= COMMON ? (companions.length > MAX_COMPANIONS ? `常用词，可与 ${companions.length} 种词搭配，不足为证` : `常用词（jieba 词频 ${own} ≥ ${COMMON}）`) : own === undefined ? `由常用词组成（估计词频 ${count} ≥ ${COMMON}）` : `通用词典收录的词（jieba 词频 ${own}）`;
    lines.push(`${r.term}\t${r.tags}\tinfo\t\t${count}\t${r.words.join('/')}\t${why}，降为提示`);
  } else {
    whole++;
    lines.push(`${r.term}\t${r.tags}\twhole\t\t${count}\t${r.words.join('/')}\t由常用词组成（估计词频 ≥ ${RARE}），仅作为完整词（分词）时报出，最高为慎用`);
  }
}
writeFileSync(new URL('./data/houbb-tiers.tsv', import.meta.url), `${lines.join('\n')}\n`);
console.log(`${rated.length} terms: ${demoted} demoted to info, ${near} near companions, ${whole} whole-word only; the rest keep their tag's tier`);
