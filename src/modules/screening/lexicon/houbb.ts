// The shipped houbb/sensitive-word lexicon (Apache-2.0, see data/LICENSE-houbb-sensitive-word.txt).
import { readFileSync } from 'node:fs';
import { parseHoubbLexicon } from './parse.ts';
import type { ParseResult } from './types.ts';

export const HOUBB_LEXICON_URL = new URL('./data/houbb-nonpolitical-tags.txt', import.meta.url);

/** Reads and parses the shipped file (41.7k terms, no politics: drugs, porn, gambling, crime). */
export function loadHoubbLexicon(): ParseResult {
  return parseHoubbLexicon(readFileSync(HOUBB_LEXICON_URL, 'utf8'));
}
