/**
 * Length rules. Platforms count characters, not UTF-16 units: a CJK character or an emoji is one, so
 * lengths here are in code points. A text that is too long is cut at the last sentence end (。！？) that
 * keeps enough of it, else at the last clause break (，、；：), else hard, and always ends with an ellipsis
 * so readers can tell.
 */
export const ELLIPSIS = '…';

export const textLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

const SENTENCE_END = new Set(['。', '！', '？', '!', '?', '…']);
const CLAUSE_BREAK = new Set(['，', '、', '；', '：', ',', ';', ':', '—', ' ']);
const TRAILING_PUNCTUATION = /[\s，、；：,;:。！？!?…—]+$/u;

/** Cut at a boundary no earlier than this share of the room: cutting "说。" out of 60 characters loses too much. */
const MIN_KEEP = 0.5;

export interface Shortened {
  text: string;
  shortened: boolean;
  /** The length before shortening, for the note. */
  from: number;
}

export function shorten(text: string, max: number): Shortened {
  const chars = Array.from(text.trim());
  if (chars.length <= max) return { text: chars.join(''), shortened: false, from: chars.length };
  const room = Math.max(0, max - 1);
  const head = chars.slice(0, room);
  const lastIn = (set: Set<string>) => {
    for (let i = head.length - 1; i >= Math.floor(room * MIN_KEEP); i--) if (set.has(head[i]!)) return i;
    return -1;
  };
  const sentence = lastIn(SENTENCE_END);
  const clause = sentence < 0 ? lastIn(CLAUSE_BREAK) : -1;
  const cut = sentence >= 0 ? sentence : clause >= 0 ? clause : room;
  const kept = head.slice(0, cut).join('').replace(TRAILING_PUNCTUATION, '');
  return { text: kept + ELLIPSIS, shortened: true, from: chars.length };
}

/** The first sentences of a text, as a summary where the item has none. */
export function leadOf(text: string, max: number, skip: (line: string) => boolean = () => false): string {
  const firstBlock = text.split(/\n+/).map((l) => l.trim()).find((l) => l && !skip(l)) ?? '';
  return shorten(firstBlock, max).text;
}
