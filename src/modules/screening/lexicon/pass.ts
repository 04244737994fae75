// One Aho–Corasick pass over the text through a folded class table: the inner loop of the engine.
import type { Automaton } from './automaton.ts';
import { BREAK, SEP, invisibleTable, isAstralLetter } from './charmap.ts';

/** A folded scan table: unit → symbol (≥ 1), 0 (term character no key uses), SEP, BREAK or SURROGATE. */
export interface Pass {
  automaton: Automaton;
  cls: Int32Array;
}

/** unit → symbol of its folded form, keeping the SEP / BREAK / SURROGATE markers and 0 for unused letters. */
export function composeTable(unitMap: Int32Array, sym: Int32Array): Int32Array {
  const cls = new Int32Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const v = unitMap[c];
    cls[c] = v >= 0 ? sym[v] : v;
  }
  return cls;
}

/**
 * (start, end, output) triples of every key seen in text[from, to). Separators are skipped while at
 * most `maxGap` visible ones stand between two term characters; a BREAK always ends a match.
 */
export function runPass(pass: Pass, text: string, maxGap: number, from = 0, to = text.length): Int32Array {
  const { da, fail, emit, dict, depth, out, outId, outNext, sym, maxDepth } = pass.automaton;
  const cls = pass.cls;
  const invisible = invisibleTable();
  // Original offset of each recent term character, indexed by its position in the folded stream.
  let ringSize = 1;
  while (ringSize <= maxDepth) ringSize <<= 1;
  const ring = new Int32Array(ringSize);
  const mask = ringSize - 1;
  let res = new Int32Array(96);
  let nres = 0;
  let s = 0;
  let gap = 0;
  let k = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    let v = cls[c];
    if (v < 0) {
      if (v === SEP) {
        if (invisible[c] === 0) gap++;
        continue;
      }
      if (v === BREAK) {
        s = 0;
        gap = 0;
        continue;
      }
      // A surrogate: an astral letter (CJK Extension B…) is two term units; anything else
      // (emoji, lone surrogates) is one separator.
      const lo = i + 1 < to ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
        if (cp < 0x1f000 || cp > 0x1ffff ? isAstralLetter(cp) : false) {
          // Feed the high unit now, the low one on the next iteration through the same path.
          v = sym[c];
        } else {
          gap++;
          i++;
          continue;
        }
      } else if (c >= 0xdc00 && c <= 0xdfff && i > from && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff && isAstralLetter(text.codePointAt(i - 1) ?? 0)) {
        v = sym[c];
      } else {
        gap++;
        continue;
      }
    }
    if (gap > maxGap) s = 0;
    gap = 0;
    if (v === 0) {
      s = 0;
      continue;
    }
    for (;;) {
      const t = da[s << 1] + v;
      if (da[(t << 1) | 1] === s) {
        s = t;
        break;
      }
      if (s === 0) break;
      s = fail[s];
    }
    ring[k & mask] = i;
    k++;
    let e = emit[s];
    while (e >= 0) {
      const start = ring[(k - depth[e]) & mask];
      for (let o = out[e]; o >= 0; o = outNext[o]) {
        if (nres + 3 > res.length) {
          const bigger = new Int32Array(res.length * 2);
          bigger.set(res);
          res = bigger;
        }
        res[nres++] = start;
        res[nres++] = i + 1;
        res[nres++] = outId[o];
      }
      e = dict[e];
    }
  }
  return res.subarray(0, nres);
}

/** Whether a term has only Han characters (and separators): letters and digits inside it are then evasion. */
export const isHanTerm = (term: string) => /\p{Script=Han}/u.test(term) && !/[\p{L}\p{N}]/u.test(term.replace(/\p{Script=Han}/gu, ''));

/** Han ideographs (unified, Extension A, compatibility): a code-unit range test, run on every character. */
const isHan = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
/** ASCII and full-width Latin letters and digits. */
export const isAlnum = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a);

/**
 * Spans of text around every run of at most `maxGap` Latin letters or digits between two Han
 * characters (赌a博, 冰1毒), widened by `radius`, merged: the only places a Han term can hide letters.
 */
export function letterWindows(text: string, maxGap: number, radius: number): [number, number][] {
  const windows: [number, number][] = [];
  for (let i = 1; i < text.length; i++) {
    if (!isAlnum(text.charCodeAt(i)) || !isHan(text.charCodeAt(i - 1))) continue;
    let j = i;
    while (j < text.length && j - i <= maxGap && isAlnum(text.charCodeAt(j))) j++;
    if (j - i > maxGap || j >= text.length || !isHan(text.charCodeAt(j))) {
      i = j;
      continue;
    }
    const from = Math.max(0, i - radius);
    const to = Math.min(text.length, j + radius);
    const last = windows[windows.length - 1];
    if (last && from <= last[1]) last[1] = to;
    else windows.push([from, to]);
    i = j;
  }
  return windows;
}

/** The class table with Latin letters and digits turned into separators. */
export function lettersAsSeparators(cls: Int32Array): Int32Array {
  const out = cls.slice();
  for (let c = 0; c < 0x10000; c++) if (isAlnum(c)) out[c] = SEP;
  return out;
}
