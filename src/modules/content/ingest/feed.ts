import crypto from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import sanitizeHtml from 'sanitize-html';

/**
 * What every feed parser produces: the entries of one pull, in the feed's order, with their text
 * already made safe (feed HTML goes through sanitize-html and comes out as plain paragraphs; nothing
 * from a feed reaches a page as HTML). A parser throws FeedParseError on the first entry it cannot
 * read, so a pull either has every entry or none.
 */

export const feedFormats = ['rss', 'atom', 'jsonfeed', 'ninjs', 'newsml'] as const;
export type FeedFormat = (typeof feedFormats)[number];

export interface FeedEntry {
  /** The feed's own id for the entry (RSS guid, Atom id, JSON Feed id, NINJS uri, NewsML-G2 guid). */
  guid: string;
  title: string;
  /** Body as plain paragraphs. */
  paragraphs: string[];
  summary: string | null;
  link: string | null;
  published: Date | null;
  byline: string | null;
  creditLine: string | null;
  tags: string[];
  language: string | null;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  entries: FeedEntry[];
}

export class FeedParseError extends Error {
  constructor(
    readonly zh: string,
    en: string,
  ) {
    super(en);
    this.name = 'FeedParseError';
  }
}

/** More entries than this in one document is not a feed we should swallow in one transaction. */
export const MAX_ENTRIES = 1000;

// ---------------------------------------------------------------------------------------------
// XML

/**
 * Parses an XML feed strictly: the whole document is validated first (fast-xml-parser's own parser
 * is lenient and would return the half of a truncated file it could read), and entity declarations
 * are refused outright (no "billion laughs", no external entities).
 */
export function parseXml(body: string, options: { stopNodes: string[]; arrays: string[] }): Record<string, unknown> {
  if (/<!ENTITY/i.test(body)) {
    throw new FeedParseError('XML 中含有实体声明（<!ENTITY>），出于安全原因不予解析', 'The XML declares entities (<!ENTITY>); refused for safety');
  }
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new FeedParseError(`XML 格式错误（第 ${line} 行第 ${col} 列）：${msg}`, `Malformed XML at line ${line}, column ${col}: ${msg}`);
  }
  const arrays = new Set(options.arrays);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: true,
    stopNodes: options.stopNodes,
    isArray: (name) => arrays.has(name),
  });
  return parser.parse(body) as Record<string, unknown>;
}

/** The name of the document element, skipping the prolog, comments and doctype. */
export function rootElement(body: string): string | null {
  const stripped = body.replace(/^\uFEFF/, '').replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/gi, '');
  const match = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(stripped);
  return match?.[2] ?? null;
}

type Node = unknown;

export const asArray = (v: Node): Node[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

export const attr = (v: Node, name: string): string | null => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const value = (v as Record<string, unknown>)[`@_${name}`];
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : null;
};

/** The text of an element as the parser gave it: a string, or an object with #text, or the first of a list. */
export function textOf(v: Node): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v).trim();
  if (Array.isArray(v)) return textOf(v[0]);
  if (typeof v === 'object') {
    const text = (v as Record<string, unknown>)['#text'];
    if (text !== undefined) return textOf(text);
    // Mixed content the parser split into children: collect the strings, in order.
    return Object.entries(v as Record<string, unknown>)
      .filter(([k]) => !k.startsWith('@_'))
      .map(([, child]) => textOf(child))
      .filter(Boolean)
      .join(' ');
  }
  return '';
}

export const child = (v: Node, name: string): Node =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[name] : undefined;

/**
 * The HTML inside an element kept raw (a stop node): CDATA sections are taken as they are, the rest
 * has its XML escapes undone — `&lt;p&gt;` in an RSS description is a paragraph tag.
 */
export function rawHtml(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeEntities(part)))
    .join('');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? Number.parseInt(code.slice(2), 16) : Number.parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return NAMED[code.toLowerCase()] ?? whole;
  });
}

// ---------------------------------------------------------------------------------------------
// HTML → paragraphs

const BLOCKS = ['p', 'div', 'br', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'tr', 'pre', 'section', 'article', 'figcaption', 'dd', 'dt', 'td', 'th'];

/**
 * Feed HTML as plain paragraphs. sanitize-html drops scripts, styles, frames and every attribute,
 * keeps only block tags as paragraph boundaries, and the text between them becomes the paragraphs.
 */
export function htmlToParagraphs(html: string): string[] {
  const cleaned = sanitizeHtml(html, {
    allowedTags: BLOCKS,
    allowedAttributes: {},
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'head', 'title', 'template'],
    disallowedTagsMode: 'discard',
  });
  return decodeEntities(cleaned.replace(/\s+/g, ' ').replace(/<\/?[a-z0-9]+\s*\/?>/gi, '\n'))
    .split(/\n+/)
    .map((line) => line.replace(/[\s\u00a0\u3000]+/g, ' ').trim())
    .filter(Boolean);
}

/** A short text that may carry markup (a title of type html, a summary) as one clean line. */
export function htmlToLine(html: string): string {
  return /[<&]/.test(html) ? htmlToParagraphs(html).join(' ') : html.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Entries

export function parseDate(raw: string | null | undefined): Date | null {
  if (!raw) return null;
  const t = Date.parse(raw.trim());
  return Number.isNaN(t) ? null : new Date(t);
}

const clip = (s: string, max: number) => ([...s].length <= max ? s : `${[...s].slice(0, max - 1).join('')}…`);

/**
 * Checks and completes one entry: a title (the first words of the body when the feed has none), a
 * guid (the link, else a hash of the content), clipped lengths. `n` is the entry's 1-based position,
 * for a message a person can find in the feed.
 */
export function entry(n: number, e: Partial<FeedEntry> & { paragraphs: string[] }): FeedEntry {
  const paragraphs = e.paragraphs.length ? e.paragraphs : e.summary ? [e.summary] : [];
  let title = (e.title ?? '').replace(/\s+/g, ' ').trim();
  if (!title && paragraphs.length) title = clip(paragraphs[0]!, 40);
  if (!title) throw new FeedParseError(`第 ${n} 条既没有标题也没有正文`, `Entry ${n} has neither a title nor a body`);
  const guid = (e.guid ?? '').trim() || e.link?.trim() || `sha1:${crypto.createHash('sha1').update(`${title}\n${paragraphs.join('\n')}`).digest('hex')}`;
  if (guid.length > 1000) throw new FeedParseError(`第 ${n} 条的 guid 过长`, `Entry ${n} has a guid longer than 1000 characters`);
  const tags = [...new Set((e.tags ?? []).map((t) => clip(t.replace(/\s+/g, ' ').trim(), 30)).filter(Boolean))].slice(0, 30);
  return {
    guid,
    title: clip(title, 200),
    paragraphs,
    summary: e.summary ? clip(e.summary, 1000) : null,
    link: e.link?.trim() || null,
    published: e.published ?? null,
    byline: e.byline ? clip(e.byline, 200) : null,
    creditLine: e.creditLine ? clip(e.creditLine, 200) : null,
    tags,
    language: e.language && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(e.language.trim()) ? e.language.trim().replace(/^[A-Za-z]+/, (m) => m.toLowerCase()) : null,
  };
}

export function checkCount(entries: unknown[]) {
  if (entries.length > MAX_ENTRIES) {
    throw new FeedParseError(`一次最多接收 ${MAX_ENTRIES} 条，这个源有 ${entries.length} 条`, `At most ${MAX_ENTRIES} entries per pull; this feed has ${entries.length}`);
  }
}
