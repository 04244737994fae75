// The character fold every scan runs through: one Int32Array lookup per UTF-16 unit answers both
// "is this a term character or a separator?" and "what does it normalise to?". Built once per
// process (≈100 ms, mostly OpenCC) and shared by every engine.
import { createRequire } from 'node:module';
import type { ConverterFunction } from 'opencc-js';

const require = createRequire(import.meta.url);

/** Not a letter or digit: spaces, punctuation, symbols, emoji parts, zero-width and format characters. */
export const SEP = -1;
/** Sentence and clause punctuation (and line breaks): a term never spans one, however short the gap. */
export const BREAK = -2;
/** A UTF-16 surrogate: the scanner looks at the whole code point to decide. */
export const SURROGATE = -3;

/**
 * Chinese sentence and clause punctuation. 「11月19日，她」 is a date and a pronoun, not an obscenity,
 * and 「学位、证书」 two words: people who evade write 赌*博 or 赌 博, not 赌，博. ASCII marks stay
 * separators because they are what evaders type (赌.博).
 */
const BREAKS = '，。、；：？！“”‘’（）《》【】…「」『』〈〉\n\r\u2028\u2029';

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

let fold: Int32Array | undefined;

/**
 * code unit → folded code unit (≥ 0), SEP or SURROGATE.
 *
 * Folding = NFKC (full-width ＡＢＣ１２３ → ABC123, circled ① → 1, CJK compatibility ideographs →
 * unified ones), then lower case, then Traditional → Simplified (OpenCC `hk → cn`, per character,
 * the same choice as src/modules/nlp/normalize.ts: it leaves mainland Simplified text unchanged).
 * Only one-to-one BMP results are taken so every folded unit maps back to exactly one original unit.
 */
export function foldTable(): Int32Array {
  if (fold) return fold;
  const table = new Int32Array(0x10000);
  const cjk: number[] = [];
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      table[c] = SURROGATE;
      continue;
    }
    const ch = String.fromCharCode(c);
    if (!LETTER_OR_DIGIT.test(ch)) {
      table[c] = SEP;
      continue;
    }
    let folded = ch.normalize('NFKC').toLowerCase();
    if (folded.length !== 1 || !LETTER_OR_DIGIT.test(folded)) folded = ch.toLowerCase();
    if (folded.length !== 1) folded = ch;
    table[c] = folded.charCodeAt(0);
    if (table[c] >= 0x2e80) cjk.push(c);
  }
  // One converter call over every CJK letter, newline-separated so no phrase rule spans two of them.
  const opencc = require('opencc-js/t2cn') as typeof import('opencc-js');
  const toSimplified: ConverterFunction = opencc.Converter({ from: 'hk', to: 'cn' });
  const source = cjk.map((c) => String.fromCharCode(table[c])).join('\n');
  const converted = toSimplified(source).split('\n');
  if (converted.length === cjk.length) {
    for (let i = 0; i < cjk.length; i++) {
      const s = converted[i];
      if (s.length === 1 && LETTER_OR_DIGIT.test(s)) table[cjk[i]] = s.charCodeAt(0);
    }
  }
  for (const ch of BREAKS) table[ch.charCodeAt(0)] = BREAK;
  fold = table;
  return table;
}

/** Whether an astral code point (CJK Extension B…, not emoji) is a term character. */
export function isAstralLetter(codePoint: number): boolean {
  return LETTER_OR_DIGIT.test(String.fromCodePoint(codePoint));
}

/** Marks and format characters (combining marks, ZWJ, variation selectors) are invisible: they do not count toward a gap. */
const INVISIBLE = /^[\p{M}\p{Cf}]$/u;
let invisible: Uint8Array | undefined;

export function invisibleTable(): Uint8Array {
  if (invisible) return invisible;
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (INVISIBLE.test(String.fromCharCode(c))) table[c] = 1;
  }
  invisible = table;
  return table;
}
