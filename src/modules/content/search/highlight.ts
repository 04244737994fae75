// 命中高亮: the part of an item's text around the first hit, HTML-escaped, with every query term in
// <mark>. Matching runs on the normalised form (Simplified, half-width, lower case) so a query in
// traditional characters marks the simplified text it found, while the snippet shows the text as written.
import { indexForm } from './index-text.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * The normalised text with the same UTF-16 length as `text`, so an offset in one is an offset in the
 * other. Whole-text conversion is used when it keeps the length (nearly always: OpenCC's hk→cn is a
 * character mapping); otherwise each character is converted alone, keeping any that would change length.
 */
function alignedForm(text: string): string {
  const whole = indexForm(text);
  if (whole.length === text.length) return whole;
  let out = '';
  for (const ch of text) {
    const n = indexForm(ch);
    out += n.length === ch.length ? n : ch;
  }
  return out;
}

interface Range {
  start: number;
  end: number;
}

/** Every occurrence of every term, merged where they overlap, in order. */
function findRanges(form: string, terms: readonly string[]): Range[] {
  const ranges: Range[] = [];
  for (const term of terms) {
    if (!term) continue;
    for (let at = form.indexOf(term); at !== -1; at = form.indexOf(term, at + term.length)) {
      ranges.push({ start: at, end: at + term.length });
    }
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

export interface HighlightOptions {
  /** Characters of text in the snippet (before escaping and marks). */
  maxChars?: number;
  /** Characters shown before the first hit, for context. */
  lead?: number;
}

export interface Highlight {
  html: string;
  /** Whether any term was found in this text. */
  hit: boolean;
}

/** A snippet of `text` around its first hit, or its beginning when nothing matches. */
export function highlight(text: string, terms: readonly string[], options: HighlightOptions = {}): Highlight {
  const maxChars = options.maxChars ?? 120;
  const lead = options.lead ?? 30;
  // Most text is stored as typed in Simplified: look for the terms in it as it is first, and convert
  // (OpenCC, ~0.3 ms per 1,000 characters) only the window shown, or the whole text when nothing is found.
  const lower = text.toLowerCase();
  const quick = lower.length === text.length ? findRanges(lower, terms) : [];
  const first = quick.length ? quick[0]!.start : (findRanges(alignedForm(text), terms)[0]?.start ?? -1);
  let start = first >= 0 ? Math.max(0, first - lead) : 0;
  let end = Math.min(text.length, start + maxChars);
  // Near the end, show a full window rather than a short tail.
  if (end - start < maxChars) start = Math.max(0, end - maxChars);
  // Never cut a surrogate pair in half.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
  // Marks come from the window's own normalised form, so a traditional spelling inside it is marked too.
  const ranges = findRanges(alignedForm(text.slice(start, end)), terms).map((r) => ({ start: r.start + start, end: r.end + start }));

  let html = start > 0 ? '…' : '';
  let at = start;
  for (const r of ranges) {
    if (r.end <= start) continue;
    if (r.start >= end) break;
    const s = Math.max(r.start, start);
    const e = Math.min(r.end, end);
    html += escapeHtml(text.slice(at, s)) + `<mark>${escapeHtml(text.slice(s, e))}</mark>`;
    at = e;
  }
  html += escapeHtml(text.slice(at, end));
  if (end < text.length) html += '…';
  return { html, hit: first >= 0 };
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The snippet for a search hit: from the body where the terms occur there, else the summary, else
 * the body's beginning. Newlines become spaces so the snippet reads as one line.
 */
export function snippetFor(item: { summary: string | null; body_text: string }, terms: readonly string[], maxChars = 120): string {
  const body = item.body_text.replace(/\s+/g, ' ');
  const inBody = highlight(body, terms, { maxChars });
  if (inBody.hit || !item.summary) return inBody.html;
  const inSummary = highlight(item.summary.replace(/\s+/g, ' '), terms, { maxChars });
  return inSummary.hit || !body ? inSummary.html : inBody.html;
}
