// Keywords (关键词) by TF-IDF, using jieba's extractor and its bundled IDF table.
import { getJieba, getTfIdf } from './jieba.ts';
import { charLength, normalizeText } from './normalize.ts';
import { stopWords } from './stopwords.ts';

export interface Keyword {
  word: string;
  /** TF-IDF weight; comparable between the keywords of one text, not across texts. */
  weight: number;
}

const NUMBER_LIKE = /^[\d.,:%+\-/]+$/;

/** A keyword names a topic: not a stop word, not a single character, not a bare number or punctuation. */
export function isTopicWord(word: string): boolean {
  return charLength(word) >= 2 && !NUMBER_LIKE.test(word) && /[\p{L}]/u.test(word) && !stopWords().has(word);
}

/**
 * The `topK` words that best characterise `text` (half-width, Simplified, Latin case kept),
 * highest weight first.
 */
export function keywords(text: string, topK = 8): Keyword[] {
  if (topK <= 0) return [];
  const normalized = normalizeText(text);
  // jieba's own stop-word option is unusable, so ask for more candidates and filter them here;
  // in news text roughly one candidate in three is a number, a filler word or a single character.
  const candidates = getTfIdf().extractKeywords(getJieba(), normalized, topK * 4 + 20);
  const out: Keyword[] = [];
  for (const { keyword, weight } of candidates) {
    if (!isTopicWord(keyword)) continue;
    out.push({ word: keyword, weight });
    if (out.length === topK) break;
  }
  return out;
}
