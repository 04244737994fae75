// The shipped houbb/sensitive-word lexicon (Apache-2.0, see data/LICENSE-houbb-sensitive-word.txt),
// with the tiers gen-tiers.ts decided from word frequency (data/houbb-tiers.tsv).
import { readFileSync } from 'node:fs';
import { parseHoubbLexicon, parseHoubbTiers } from './parse.ts';
import type { ParseResult } from './types.ts';

export const HOUBB_LEXICON_URL = new URL('./data/houbb-nonpolitical-tags.txt', import.meta.url);
export const HOUBB_TIERS_URL = new URL('./data/houbb-tiers.tsv', import.meta.url);

/** Reads and parses the shipped file (41.7k terms, no politics: drugs, porn, gambling, crime), tiered. */
export function loadHoubbLexicon(): ParseResult {
  return parseHoubbLexicon(readFileSync(HOUBB_LEXICON_URL, 'utf8'), parseHoubbTiers(readFileSync(HOUBB_TIERS_URL, 'utf8')));
}
