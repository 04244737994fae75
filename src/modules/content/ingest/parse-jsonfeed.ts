import { type Static, type TSchema, Type } from 'typebox';
import Value from 'typebox/value';
import { FeedParseError, type ParsedFeed, checkCount, entry, htmlToLine, htmlToParagraphs, parseDate } from './feed.ts';

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), 1.0 read too (`author`, numeric ids). */

const Author = Type.Object({ name: Type.Optional(Type.String()) });

const JsonFeedItem = Type.Object({
  id: Type.Union([Type.String({ minLength: 1 }), Type.Number()]),
  url: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  content_html: Type.Optional(Type.String()),
  content_text: Type.Optional(Type.String()),
  summary: Type.Optional(Type.String()),
  date_published: Type.Optional(Type.String()),
  date_modified: Type.Optional(Type.String()),
  authors: Type.Optional(Type.Array(Author)),
  author: Type.Optional(Author),
  tags: Type.Optional(Type.Array(Type.String())),
  language: Type.Optional(Type.String()),
});

const JsonFeed = Type.Object({
  version: Type.String({ pattern: '^https://jsonfeed\\.org/version/1(\\.1)?$' }),
  title: Type.String(),
  home_page_url: Type.Optional(Type.String()),
  language: Type.Optional(Type.String()),
  authors: Type.Optional(Type.Array(Author)),
  items: Type.Array(Type.Unknown()),
});

/** JSON.parse with a message that names where the JSON broke. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body.replace(/^\uFEFF/, ''));
  } catch (err) {
    const message = (err as Error).message;
    throw new FeedParseError(`JSON 格式错误：${message}`, `Malformed JSON: ${message}`);
  }
}

/** The first schema problem of `value`, as "path: message", or null when it fits. */
export function schemaProblem(schema: TSchema, value: unknown): string | null {
  if (Value.Check(schema, value)) return null;
  const first = [...Value.Errors(schema, value)][0];
  return first ? `${first.instancePath || '/'} ${first.message}` : 'does not match';
}

export function parseJsonFeed(body: string): ParsedFeed {
  const doc = parseJson(body);
  const problem = schemaProblem(JsonFeed, doc);
  if (problem) throw new FeedParseError(`不是合法的 JSON Feed：${problem}`, `Not a valid JSON Feed: ${problem}`);
  const feed = doc as Static<typeof JsonFeed>;
  checkCount(feed.items);
  const feedAuthor = feed.authors?.map((a) => a.name).filter(Boolean).join('、') || null;
  const entries = feed.items.map((raw, i) => {
    const itemProblem = schemaProblem(JsonFeedItem, raw);
    if (itemProblem) throw new FeedParseError(`第 ${i + 1} 条不合法：${itemProblem}`, `Item ${i + 1} is invalid: ${itemProblem}`);
    const item = raw as Static<typeof JsonFeedItem>;
    if (item.content_html === undefined && item.content_text === undefined) {
      throw new FeedParseError(`第 ${i + 1} 条缺少 content_html 或 content_text`, `Item ${i + 1} has neither content_html nor content_text`);
    }
    const paragraphs =
      item.content_html !== undefined
        ? htmlToParagraphs(item.content_html)
        : (item.content_text ?? '')
            .split(/\n+/)
            .map((l) => l.trim())
            .filter(Boolean);
    const authors = (item.authors ?? (item.author ? [item.author] : [])).map((a) => a.name).filter(Boolean);
    return entry(i + 1, {
      guid: String(item.id),
      title: htmlToLine(item.title ?? ''),
      paragraphs,
      summary: item.summary ? htmlToLine(item.summary) : null,
      link: item.url ?? null,
      published: parseDate(item.date_published ?? item.date_modified),
      byline: authors.join('、') || feedAuthor,
      tags: item.tags ?? [],
      language: item.language ?? feed.language ?? null,
    });
  });
  return { format: 'jsonfeed', title: feed.title.trim() || null, entries };
}
