/**
 * 禁则 (line-breaking prohibitions) for Simplified Chinese, after CLREQ and GB/T 15834: the
 * characters that may not begin a line (点号, closing quotes/brackets, 间隔号, 连接号 …) and those
 * that may not end one (opening quotes and brackets). Latin punctuation that can sit directly after
 * a Chinese character (a stray comma in mixed text) follows the same rules.
 */
export const NO_LINE_START = new Set([...'，。、；：？！）》」』”’〕】〗〉〙〛·…—～％‰°℃,.;:?!)]}%']);
export const NO_LINE_END = new Set([...'（《「『“‘〔【〖〈〘〚([{']);

/** Full-width closing punctuation whose glyph sits in the left half of the em box (SC convention): the right half can be squeezed. */
export const CJK_CLOSERS = new Set([...'，。、；：？！）》」』”’〕】〗〉']);
/** Full-width opening punctuation whose glyph sits in the right half: the left half can be squeezed. */
export const CJK_OPENERS = new Set([...'（《「『“‘〔【〖〈']);

/** Marks that come in inseparable runs (——, ……): a run is never broken across lines. */
export const RUN_MARKS = new Set([...'—…⋯']);

const CJK_RANGES: [number, number][] = [
  [0x2e80, 0x2fdf], // radicals
  [0x3000, 0x303f], // CJK symbols and punctuation
  [0x3040, 0x30ff], // kana
  [0x3100, 0x312f], // bopomofo
  [0x3190, 0x31ff],
  [0x3400, 0x4dbf], // extension A
  [0x4e00, 0x9fff], // unified ideographs
  [0xf900, 0xfaff], // compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xffef], // full-width forms
  [0x20000, 0x3134f], // extensions B–G
];

/** A character set on its own em square: each one is a break opportunity. */
export function isCjk(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (cp === 0x201c || cp === 0x201d || cp === 0x2018 || cp === 0x2019 || cp === 0x2014 || cp === 0x2026 || cp === 0x00b7) return true;
  return CJK_RANGES.some(([a, b]) => cp >= a && cp <= b);
}

/** Word spaces; the ideographic space (U+3000) is not one: it is a full-width blank character of its own. */
export const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\u00a0';
