// Whole-word context: a term such as 日本 counts only where the segmenter keeps its edges as word
// edges, so 日本人 (one word) or 日本, 本地 are not hits while 去日本旅游 is.
import { BREAK, foldTable } from './charmap.ts';

/** Characters of context either side that the segmenter sees: enough for jieba to settle the edges. */
const CONTEXT = 8;

/**
 * Whether the term's edges are word edges. The segmenter reads the term as written in the lexicon
 * with its plain neighbours (the text up to a sentence break), so an evaded form (日 本) is judged
 * as the word it spells.
 */
export function wholeWordAt(text: string, start: number, end: number, term: string, segment: (text: string) => string[]): boolean {
  const edges = wordEdges(text, start, end, term, segment);
  return !edges || (edges.has(edges.left) && edges.has(edges.left + term.length));
}

/**
 * The longer dictionary word the segmenter reads the whole term inside (烘干机 for 干机), or
 * undefined when it reads none or cannot judge.
 */
export function wordAround(text: string, start: number, end: number, term: string, segment: (text: string) => string[]): string | undefined {
  const edges = wordEdges(text, start, end, term, segment);
  if (!edges || (edges.has(edges.left) && edges.has(edges.left + term.length))) return undefined;
  const from = edges.left;
  const to = from + term.length;
  // Only a word that holds the whole hit: a term that spans parts of two words (社区便民 in 社区便民服务) is still written as itself.
  return edges.words.find((w) => w.start <= from && w.start + w.word.length >= to && w.word.length > term.length)?.word;
}

/**
 * Whether a homophone hit (堵博 for 赌博) is an evasion rather than ordinary words that sound alike:
 * the segmenter must keep its edges as word edges (是学 in 就是学生 is not), and must not read it
 * as one dictionary word (由于, 银行 are words; 堵博 is not).
 */
export function soundAlikeStands(text: string, start: number, end: number, segment: (text: string) => string[]): boolean {
  const variant = text.slice(start, end);
  const edges = wordEdges(text, start, end, variant, segment);
  if (!edges) return true;
  const at = edges.left;
  if (!edges.has(at) || !edges.has(at + variant.length)) return false;
  return !edges.words.some((w) => w.start === at && w.word.length === variant.length && w.word.length > 1);
}

/** Word edges (offsets into a sample of the text around the hit, spelled as `spelled`); undefined when the segmenter cannot judge. */
function wordEdges(text: string, start: number, end: number, spelled: string, segment: (text: string) => string[]) {
  const fold = foldTable();
  let from = start;
  while (from > 0 && start - from < CONTEXT && fold[text.charCodeAt(from - 1)] !== BREAK) from--;
  let to = end;
  while (to < text.length && to - end < CONTEXT && fold[text.charCodeAt(to)] !== BREAK) to++;
  const left = text.slice(from, start);
  const sample = left + spelled + text.slice(end, to);
  const edges = new Set<number>([0]);
  const words: { start: number; word: string }[] = [];
  let at = 0;
  for (const word of segment(sample)) {
    words.push({ start: at, word });
    at += word.length;
    edges.add(at);
  }
  // A segmenter that does not add up to its input cannot judge: count the hit.
  if (at !== sample.length) return undefined;
  return Object.assign(edges, { left: left.length, words });
}
