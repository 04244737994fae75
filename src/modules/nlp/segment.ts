// Word segmentation (分词) for Chinese news text, on top of jieba.
import { getJieba } from './jieba.ts';
import { isWordToken, normalizeText, normalizeToken } from './normalize.ts';
import { functionStopWords } from './stopwords.ts';

export interface TaggedWord {
  word: string;
  /** jieba / ICTCLAS part-of-speech tag: n noun, v verb, ns place, nr person, nt organisation, nz other proper noun, m numeral, x unknown or punctuation … */
  tag: string;
}

// HMM finds words missing from the dictionary (mostly people's names, 王晓晖 rather than 王/晓/晖),
// which is what a reader searches for.
const USE_HMM = true;

function cleanTokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    if (!isWordToken(token)) continue;
    out.push(normalizeToken(token));
  }
  return out;
}

/**
 * Words of `text` in reading order: half-width, Simplified, lower-case Latin, without punctuation
 * or spaces. Every word appears once per occurrence (precise mode, no overlapping sub-words).
 */
export function tokenize(text: string): string[] {
  return cleanTokens(getJieba().cut(normalizeText(text), USE_HMM));
}

/**
 * Terms for a full-text index and for the query run against it (`to_tsvector('simple', terms.join(' '))`).
 * Search mode adds the dictionary sub-words of long words (中国科学院 → 中国, 科学, 学院, 科学院, 中国科学院),
 * so a query for 科学院 finds it. Function words (的, 了, 我们) are dropped; newsroom words are kept.
 */
export function searchTerms(text: string): string[] {
  const stop = functionStopWords();
  return cleanTokens(getJieba().cutForSearch(normalizeText(text), USE_HMM)).filter((term) => !stop.has(term));
}

/**
 * Part-of-speech tags over the normalised (half-width, Simplified) text, punctuation included so
 * the words still add up to the text. Without HMM, so every word carries a dictionary tag.
 */
export function posTag(text: string): TaggedWord[] {
  return getJieba()
    .tag(normalizeText(text), false)
    .map(({ word, tag }) => ({ word, tag }));
}
