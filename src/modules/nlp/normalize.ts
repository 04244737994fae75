// Text normalisation shared by every nlp function, so that an index built from one
// spelling is found by a query in another (全角/半角, 繁体/简体, upper/lower case).
import { createRequire } from 'node:module';
import type { ConverterFunction } from 'opencc-js';

const require = createRequire(import.meta.url);

let traditionalToSimplified: ConverterFunction | undefined;

/**
 * Converts Traditional Chinese (Taiwan, Hong Kong or OpenCC standard forms) to Simplified.
 *
 * Uses OpenCC's `hk → cn` character conversion: it covers the standard and Hong Kong variant
 * characters (衞 → 卫) and, measured over 1M characters of mainland news, leaves Simplified text
 * unchanged, whereas `tw → cn` rewrote 著名 → 着名 and 什么 → 什幺. Vocabulary is deliberately not
 * rewritten (`twp` would turn 資訊 into 信息), so a word keeps its meaning across the conversion.
 */
export function toSimplified(text: string): string {
  if (traditionalToSimplified === undefined) {
    // Loaded on first use: building the conversion tables takes a few tens of milliseconds.
    const opencc = require('opencc-js/t2cn') as typeof import('opencc-js');
    traditionalToSimplified = opencc.Converter({ from: 'hk', to: 'cn' });
  }
  return traditionalToSimplified(text);
}

const FULL_WIDTH_FIRST = 0xff01; // ！
const FULL_WIDTH_LAST = 0xff5e; // ～
const FULL_TO_HALF_OFFSET = 0xff01 - 0x21;
const IDEOGRAPHIC_SPACE = 0x3000;

/**
 * Full-width ASCII forms (ＡＢＣ１２３，) become their half-width equivalents and the ideographic
 * space becomes a plain space. Chinese punctuation such as 。、“” has no half-width form and stays.
 */
export function toHalfWidth(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) out += String.fromCharCode(code - FULL_TO_HALF_OFFSET);
    else if (code === IDEOGRAPHIC_SPACE) out += ' ';
    else out += text[i];
  }
  return out;
}

/** Half-width, then Simplified: the form every analysis runs on. Case is kept (see `normalizeToken`). */
export function normalizeText(text: string): string {
  return toSimplified(toHalfWidth(text));
}

/** A token carries meaning only if it has a letter or a digit; punctuation and spaces do not. */
export function isWordToken(token: string): boolean {
  return /[\p{L}\p{N}]/u.test(token);
}

/** Tokens are compared case-insensitively: "iPhone" and "IPHONE" are one search term. */
export function normalizeToken(token: string): string {
  return token.trim().toLowerCase();
}

/** Length in characters as a reader counts them (code points, not UTF-16 units). */
export function charLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) n++; // a low surrogate finishes a character already counted
  }
  return n;
}
