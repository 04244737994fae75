import { rawHtml } from './feed.ts';

/**
 * Reading the elements the XML parsers keep raw (stop nodes): RSS descriptions and content:encoded,
 * Atom content and summaries, NewsML-G2 inlineXML and inlineData.
 */

/** The raw markup of a stop node: the string itself, or its #text when the element has attributes. */
export const rawText = (v: unknown): string => {
  const t = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)['#text'] : v;
  return typeof t === 'string' ? t : t === undefined || t === null ? '' : String(t);
};

/** Plain text kept raw (with its XML escapes or CDATA): each non-empty line is a paragraph. */
export function textParagraphs(raw: string): string[] {
  return rawHtml(raw)
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean);
}
