import { CJK_CLOSERS, CJK_OPENERS, NO_LINE_END, NO_LINE_START, RUN_MARKS, isCjk, isSpace } from './kinsoku.ts';

/**
 * 中文断行与齐行: our own line breaker for Chinese with Latin mixed in. Text becomes boxes (one per
 * Chinese character or punctuation mark, one per Latin word, one per ——/…… run) with gaps between
 * them; a gap is a break opportunity unless 禁则 forbids it (a closing mark may not start a line, an
 * opening mark may not end one). Lines are filled greedily, preferring to squeeze full-width
 * punctuation by up to half an em (标点挤压) over pushing a character to the next line; a line that
 * still falls short is justified by spreading the gaps evenly, except a paragraph's last line.
 */

/** Advance widths in ems (1 = the font size) of one font. */
export interface Metrics {
  advance(text: string): number;
}

export interface Box {
  text: string;
  /** Natural advance, points. */
  width: number;
  /** How much the advance may be squeezed, points. */
  shrink: number;
  /** Squeezing takes the blank off the glyph's left (opening marks): the glyph moves left by as much. */
  shrinkLeft: boolean;
  /** A blank already taken off the glyph's left at tokenizing (the second of two opening marks). */
  preShift: number;
  cjk: boolean;
}

interface Gap {
  /** Natural width, points: a Latin space, the quarter-em between Chinese and Latin, or nothing. */
  width: number;
  breakable: boolean;
}

export interface PlacedBox {
  text: string;
  /** Where the box's advance starts, from the line's left edge. */
  x: number;
  /** The advance actually used. */
  width: number;
  /** Horizontal offset of the glyph from x (negative for a squeezed opening mark). */
  dx: number;
  cjk: boolean;
}

export interface Line {
  boxes: PlacedBox[];
  /** The measure this line was set to, points. */
  measure: number;
  /** Left indent (the first line of a paragraph), points. */
  indent: number;
  /** Width actually occupied from the indent, points. */
  width: number;
  /** Set when the line is the paragraph's last (set flush left, not justified). */
  last: boolean;
  text: string;
}

export interface BreakOptions {
  size: number;
  /** Line length, points. */
  measure: number;
  /** First-line indent in ems (Chinese body text: 2). */
  indentEm?: number;
  /** Set every line flush left at natural spacing (headlines, captions the caller centres or leaves ragged). */
  flush?: boolean;
}

const LATIN_WORD_END = /[\s]/;

/** Splits a paragraph into boxes and the gaps between them (gaps[i] follows boxes[i]). */
export function tokenize(text: string, metrics: Metrics, size: number): { boxes: Box[]; gaps: Gap[] } {
  const chars = [...text.trim()];
  const boxes: Box[] = [];
  const spaceAfter: boolean[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i]!;
    if (isSpace(ch)) {
      if (boxes.length) spaceAfter[boxes.length - 1] = true;
      i++;
      continue;
    }
    let text: string;
    if (RUN_MARKS.has(ch)) {
      let j = i;
      while (j < chars.length && chars[j] === ch) j++;
      text = chars.slice(i, j).join('');
      i = j;
    } else if (isCjk(ch)) {
      text = ch;
      i++;
    } else {
      // A Latin word (with its own punctuation) runs to the next space or Chinese character.
      let j = i;
      while (j < chars.length && !LATIN_WORD_END.test(chars[j]!) && !isSpace(chars[j]!) && !isCjk(chars[j]!)) j++;
      text = chars.slice(i, j).join('');
      i = j;
    }
    const cjk = isCjk(text[0]!);
    const width = metrics.advance(text) * size;
    const squeezable = text.length === 1 && (CJK_CLOSERS.has(text) || CJK_OPENERS.has(text));
    boxes.push({ text, width, shrink: squeezable ? width / 2 : 0, shrinkLeft: CJK_OPENERS.has(text), preShift: 0, cjk });
    spaceAfter[boxes.length - 1] = false;
  }
  // Adjacent full-width marks (“，”“）。”“（《”) are always set closer: the blank between them goes.
  for (let k = 0; k + 1 < boxes.length; k++) {
    const a = boxes[k]!;
    const b = boxes[k + 1]!;
    if (CJK_CLOSERS.has(a.text) && (CJK_CLOSERS.has(b.text) || CJK_OPENERS.has(b.text)) && a.shrink > 0) {
      a.width -= a.shrink;
      a.shrink = 0;
    } else if (CJK_OPENERS.has(a.text) && CJK_OPENERS.has(b.text) && b.shrink > 0) {
      b.preShift = b.shrink;
      b.width -= b.shrink;
      b.shrink = 0;
    }
  }
  const space = metrics.advance(' ') * size;
  const gaps: Gap[] = [];
  for (let k = 0; k + 1 < boxes.length; k++) {
    const a = boxes[k]!;
    const b = boxes[k + 1]!;
    const forbidden = NO_LINE_START.has([...b.text][0]!) || NO_LINE_END.has([...a.text].at(-1)!);
    let width = 0;
    // A space between Chinese words (a byline's names, a headline's two halves) reads as half an em.
    if (spaceAfter[k]) width = a.cjk && b.cjk ? size / 2 : space;
    // 中西文间距: a quarter em between Chinese and Latin, unless punctuation already separates them.
    else if (a.cjk !== b.cjk && !CJK_CLOSERS.has(a.text) && !CJK_OPENERS.has(b.text) && !NO_LINE_START.has(b.text[0]!) && !NO_LINE_END.has(a.text.at(-1)!)) width = size / 4;
    gaps.push({ width, breakable: !forbidden });
  }
  return { boxes, gaps };
}

/** Breaks one paragraph into justified lines. */
export function breakParagraph(text: string, metrics: Metrics, opts: BreakOptions): Line[] {
  const { boxes, gaps } = tokenize(text, metrics, opts.size);
  return breakBoxes(splitOversized(boxes, gaps, metrics, opts), gaps, opts);
}

/** A Latin word longer than the measure is cut into pieces that fit (a URL in a narrow column). */
function splitOversized(boxes: Box[], gaps: Gap[], metrics: Metrics, opts: BreakOptions): Box[] {
  const limit = opts.measure - (opts.indentEm ?? 0) * opts.size;
  for (let k = 0; k < boxes.length; k++) {
    const b = boxes[k]!;
    if (b.width <= limit || [...b.text].length < 2) continue;
    const pieces: Box[] = [];
    let cur = '';
    for (const ch of b.text) {
      const next = cur + ch;
      if (cur && metrics.advance(next) * opts.size > limit) {
        pieces.push({ ...b, text: cur, width: metrics.advance(cur) * opts.size });
        cur = ch;
      } else cur = next;
    }
    pieces.push({ ...b, text: cur, width: metrics.advance(cur) * opts.size });
    boxes.splice(k, 1, ...pieces);
    gaps.splice(k, 0, ...pieces.slice(1).map(() => ({ width: 0, breakable: true })));
    k += pieces.length - 1;
  }
  return boxes;
}

function breakBoxes(boxes: Box[], gaps: Gap[], opts: BreakOptions): Line[] {
  const lines: Line[] = [];
  const indentPts = (opts.indentEm ?? 0) * opts.size;
  let start = 0;
  while (start < boxes.length) {
    const indent = lines.length === 0 ? indentPts : 0;
    const measure = opts.measure - indent;
    let natural = 0;
    let shrink = 0;
    let best = -1;
    for (let j = start; j < boxes.length; j++) {
      if (j > start) natural += gaps[j - 1]!.width;
      natural += boxes[j]!.width;
      shrink += boxes[j]!.shrink;
      const canEndHere = j === boxes.length - 1 || gaps[j]!.breakable;
      // The squeeze is only counted for boxes inside the line: the last box's own blank may go too.
      if (natural - shrink > measure + 1e-6) break;
      if (canEndHere) best = j;
    }
    if (best < 0) {
      // Nothing legal fits (a long chain bound by 禁则): break anyway after as many boxes as fit.
      let w = boxes[start]!.width;
      best = start;
      while (best + 1 < boxes.length && w + gaps[best]!.width + boxes[best + 1]!.width <= measure) {
        w += gaps[best]!.width + boxes[best + 1]!.width;
        best++;
      }
    }
    const last = best === boxes.length - 1;
    lines.push(setLine(boxes.slice(start, best + 1), gaps.slice(start, best), measure, indent, opts.flush === true || last));
    start = best + 1;
  }
  return lines;
}

/** Places the boxes of one line: squeezed when too long, spread when short (unless flush left). */
function setLine(boxes: Box[], gaps: Gap[], measure: number, indent: number, flushLeft: boolean): Line {
  const natural = boxes.reduce((s, b) => s + b.width, 0) + gaps.reduce((s, g) => s + g.width, 0);
  const shrinkTotal = boxes.reduce((s, b) => s + b.shrink, 0);
  const over = natural - measure;
  const squeeze = over > 0 && shrinkTotal > 0 ? Math.min(1, over / shrinkTotal) : 0;
  const spread = !flushLeft && over < 0 && gaps.length > 0 ? -over / gaps.length : 0;
  const placed: PlacedBox[] = [];
  let x = 0;
  boxes.forEach((b, k) => {
    const cut = b.shrink * squeeze;
    placed.push({ text: b.text, x, width: b.width - cut, dx: (b.shrinkLeft ? -cut : 0) - b.preShift, cjk: b.cjk });
    x += b.width - cut;
    if (k < gaps.length) x += gaps[k]!.width + spread;
  });
  return { boxes: placed, measure, indent, width: x, last: flushLeft, text: boxes.map((b) => b.text).join('') };
}

/**
 * Breaks a headline into lines of nearly equal length (均衡分行): the fewest lines the measure allows,
 * then the narrowest measure that keeps that count, so no line is left with a lone character.
 */
export function breakBalanced(text: string, metrics: Metrics, size: number, measure: number): Line[] {
  const base = breakParagraph(text, metrics, { size, measure, flush: true });
  if (base.length < 2) return breakParagraph(text, metrics, { size, measure, flush: true });
  let lo = measure / base.length;
  let hi = measure;
  for (let k = 0; k < 12; k++) {
    const mid = (lo + hi) / 2;
    if (breakParagraph(text, metrics, { size, measure: mid, flush: true }).length <= base.length) hi = mid;
    else lo = mid;
  }
  // Every headline line is set flush (not spread): the caller centres it.
  return breakParagraph(text, metrics, { size, measure: hi, flush: true });
}
