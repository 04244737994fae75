import {
  type FeedEntry,
  FeedParseError,
  type ParsedFeed,
  asArray,
  attr,
  checkCount,
  child,
  entry,
  htmlToLine,
  htmlToParagraphs,
  parseDate,
  parseXml,
  rawHtml,
  textOf,
} from './feed.ts';
import { rawText, textParagraphs } from './xml.ts';

/**
 * RSS 2.0 (and RSS 1.0/RDF) and Atom 1.0, read with fast-xml-parser. Namespace prefixes are
 * dropped, so content:encoded is `encoded` and dc:creator is `creator`. Bodies are kept raw (stop
 * nodes) and turned into paragraphs by sanitize-html, whether they came as CDATA, escaped HTML or
 * inline XHTML.
 */

const RSS_STOP = ['*.description', '*.encoded'];
const ATOM_STOP = ['feed.entry.content', 'feed.entry.summary'];

export function parseRss(body: string): ParsedFeed {
  const doc = parseXml(body, { stopNodes: RSS_STOP, arrays: ['item', 'category'] });
  const rss = child(doc, 'rss');
  const rdf = child(doc, 'RDF');
  const channel = rss ? child(rss, 'channel') : rdf ? child(rdf, 'channel') : undefined;
  if (!channel) throw new FeedParseError('不是 RSS：找不到 <rss><channel>', 'Not RSS: no <rss><channel> element');
  const items = asArray(rss ? child(channel, 'item') : child(rdf, 'item'));
  checkCount(items);
  const feedTitle = htmlToLine(textOf(child(channel, 'title'))) || null;
  const language = textOf(child(channel, 'language')) || null;
  const entries: FeedEntry[] = items.map((item, i) => {
    const content = rawHtml(rawText(child(item, 'encoded')));
    const description = rawHtml(rawText(child(item, 'description')));
    const paragraphs = htmlToParagraphs(content || description);
    const guid = textOf(child(item, 'guid')) || attr(item, 'about') || '';
    return entry(i + 1, {
      guid,
      title: htmlToLine(textOf(child(item, 'title'))),
      paragraphs,
      // With a full body in content:encoded, the description is the summary.
      summary: content && description ? htmlToLine(description) || null : null,
      link: textOf(child(item, 'link')) || null,
      published: parseDate(textOf(child(item, 'pubDate')) || textOf(child(item, 'date'))),
      byline: textOf(child(item, 'creator')) || textOf(child(item, 'author')) || null,
      tags: asArray(child(item, 'category')).map(textOf),
      language,
    });
  });
  return { format: 'rss', title: feedTitle, entries };
}

/** Atom text constructs: type text (escaped text), html (escaped HTML) or xhtml (inline markup). */
function atomParagraphs(v: unknown): string[] {
  const raw = rawText(v);
  if (!raw) return [];
  const type = attr(v, 'type') ?? 'text';
  if (type === 'text') return textParagraphs(raw);
  return htmlToParagraphs(type === 'xhtml' ? raw : rawHtml(raw));
}

function atomText(v: unknown): string {
  const type = attr(v, 'type') ?? 'text';
  const text = textOf(v);
  return type === 'text' ? text.replace(/\s+/g, ' ').trim() : htmlToLine(text);
}

export function parseAtom(body: string): ParsedFeed {
  const doc = parseXml(body, { stopNodes: ATOM_STOP, arrays: ['entry', 'link', 'category', 'author'] });
  const feed = child(doc, 'feed');
  if (!feed) throw new FeedParseError('不是 Atom：找不到 <feed>', 'Not Atom: no <feed> element');
  const items = asArray(child(feed, 'entry'));
  checkCount(items);
  const feedLanguage = attr(feed, 'lang');
  const feedAuthor = textOf(child(asArray(child(feed, 'author'))[0], 'name')) || null;
  const entries = items.map((item, i) => {
    const links = asArray(child(item, 'link'));
    const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0];
    const content = atomParagraphs(child(item, 'content'));
    const summaryParagraphs = atomParagraphs(child(item, 'summary'));
    const authors = asArray(child(item, 'author'))
      .map((a) => textOf(child(a, 'name')))
      .filter(Boolean);
    return entry(i + 1, {
      guid: textOf(child(item, 'id')),
      title: atomText(child(item, 'title')),
      paragraphs: content.length ? content : summaryParagraphs,
      summary: content.length && summaryParagraphs.length ? summaryParagraphs.join(' ') : null,
      link: alternate ? attr(alternate, 'href') : null,
      published: parseDate(textOf(child(item, 'published')) || textOf(child(item, 'updated'))),
      byline: authors.join('、') || feedAuthor,
      creditLine: textOf(child(item, 'rights')) || textOf(child(feed, 'rights')) || null,
      tags: asArray(child(item, 'category')).map((c) => attr(c, 'label') ?? attr(c, 'term') ?? ''),
      language: attr(item, 'lang') ?? feedLanguage,
    });
  });
  return { format: 'atom', title: atomText(child(feed, 'title')) || null, entries };
}
