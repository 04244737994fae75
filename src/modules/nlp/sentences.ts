// Sentence splitting (分句) for Chinese news copy.

const TERMINATORS = new Set(['。', '！', '？', '；', '!', '?', ';', '…']);
// Closing marks that belong to the sentence they end: 他说：“好。” keeps its ”.
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '】', '》']);
const QUOTE_PAIRS = new Map([
  ['“', '”'],
  ['‘', '’'],
  ['「', '」'],
  ['『', '』'],
]);
const QUOTE_CLOSERS = new Set(QUOTE_PAIRS.values());
// A quotation left open by a typo must not swallow the rest of the story.
const MAX_QUOTED_SENTENCE = 200;

/**
 * Splits on 。！？；!?; and line breaks. A terminator inside quotation marks does not end the
 * sentence (他说：“今天开幕。明天比赛。”记者看到 … stays one sentence until the quote closes),
 * and closing quotes or brackets right after a terminator stay with it. Empty pieces are dropped;
 * each sentence is trimmed.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let current = '';
  let openQuotes = 0;
  const flush = (): void => {
    const sentence = current.trim();
    if (sentence !== '') sentences.push(sentence);
    current = '';
    openQuotes = 0;
  };
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '\n' || ch === '\r') {
      flush();
      continue;
    }
    current += ch;
    if (QUOTE_PAIRS.has(ch)) openQuotes++;
    else if (QUOTE_CLOSERS.has(ch) && openQuotes > 0) openQuotes--;
    if (!TERMINATORS.has(ch)) continue;
    // Runs like ！？ or …… end together, with any closing quotes and brackets after them.
    while (i + 1 < chars.length && (TERMINATORS.has(chars[i + 1] ?? '') || CLOSERS.has(chars[i + 1] ?? ''))) {
      const next = chars[++i] ?? '';
      current += next;
      if (QUOTE_CLOSERS.has(next) && openQuotes > 0) openQuotes--;
    }
    if (openQuotes === 0 || current.length > MAX_QUOTED_SENTENCE) flush();
  }
  flush();
  return sentences;
}
