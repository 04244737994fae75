// Extractive summary (摘要): the sentences that carry the story's keywords, with a lead bias,
// since a news story puts what matters first (倒金字塔).
import { keywords } from './keywords.ts';
import { charLength, normalizeText } from './normalize.ts';
import { splitSentences } from './sentences.ts';

export interface SummaryOptions {
  /** Most characters in the summary (Chinese characters count one each). Default 120. */
  maxChars?: number;
  /** Most sentences picked. Default 3. */
  maxSentences?: number;
}

const SUMMARY_KEYWORDS = 20;

interface ScoredSentence {
  index: number;
  text: string;
  length: number;
  score: number;
}

function truncate(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}

/**
 * Picks the best sentences of `text` and returns them in their original order, within `maxChars`.
 * A text already within the budget is returned as it is (trimmed).
 */
export function summarize(text: string, options: SummaryOptions = {}): string {
  const maxChars = options.maxChars ?? 120;
  const maxSentences = options.maxSentences ?? 3;
  const trimmed = text.trim();
  if (charLength(trimmed) <= maxChars) return trimmed;

  const sentences = splitSentences(trimmed);
  const weights = keywords(trimmed, SUMMARY_KEYWORDS);
  const scored: ScoredSentence[] = sentences.map((sentence, index) => {
    const simplified = normalizeText(sentence);
    const keywordWeight = weights.reduce((sum, k) => (simplified.includes(k.word) ? sum + k.weight : sum), 0);
    const length = charLength(sentence);
    // Dividing by √length keeps long sentences from winning just by containing more words;
    // the lead bonus (×2 for the first sentence, ×1.5 for the second …) favours the news lead.
    const leadBonus = 1 + 1 / (index + 1);
    return { index, text: sentence, length, score: (keywordWeight / Math.sqrt(Math.max(length, 1))) * leadBonus };
  });

  const ranked = [...scored].sort((a, b) => b.score - a.score || a.index - b.index);
  const picked: ScoredSentence[] = [];
  let used = 0;
  for (const sentence of ranked) {
    if (picked.length === maxSentences) break;
    if (used + sentence.length > maxChars) continue;
    picked.push(sentence);
    used += sentence.length;
  }
  if (picked.length === 0) {
    // Every sentence is longer than the budget: cut the best one short.
    const best = ranked[0];
    return best === undefined ? truncate(trimmed, maxChars) : truncate(best.text, maxChars);
  }
  picked.sort((a, b) => a.index - b.index);
  // A line without closing punctuation (a heading, a list item) gets a space so it does not run on.
  return picked.map((s, i) => (i < picked.length - 1 && !/[\p{P}]$/u.test(s.text) ? `${s.text} ` : s.text)).join('');
}
