import { type Static, Type } from 'typebox';
import { FeedParseError, type ParsedFeed, checkCount, entry, htmlToLine, htmlToParagraphs, parseDate } from './feed.ts';
import { parseJson, schemaProblem } from './parse-jsonfeed.ts';

/**
 * IPTC NINJS (News in JSON), versions 1.x and 2.x — what wires and other newsrooms (and our own
 * GET /api/items/:id/ninjs) send. A document is one NINJS object, an array of them, or an object
 * with an `items` array.
 */

const Text = Type.Object({ role: Type.Optional(Type.String()), contenttype: Type.Optional(Type.String()), value: Type.String() });

const Ninjs = Type.Object({
  uri: Type.String({ minLength: 1 }),
  type: Type.Optional(Type.String()),
  language: Type.Optional(Type.String()),
  versioncreated: Type.Optional(Type.String()),
  firstcreated: Type.Optional(Type.String()),
  // 2.x
  headlines: Type.Optional(Type.Array(Text)),
  bodies: Type.Optional(Type.Array(Text)),
  descriptions: Type.Optional(Type.Array(Text)),
  bylines: Type.Optional(Type.Array(Type.Object({ byline: Type.String(), role: Type.Optional(Type.String()) }))),
  subjects: Type.Optional(Type.Array(Type.Object({ name: Type.Optional(Type.String()), code: Type.Optional(Type.String()) }))),
  // 1.x
  headline: Type.Optional(Type.String()),
  body_html: Type.Optional(Type.String()),
  body_text: Type.Optional(Type.String()),
  description_text: Type.Optional(Type.String()),
  description_html: Type.Optional(Type.String()),
  byline: Type.Optional(Type.String()),
  subject: Type.Optional(Type.Array(Type.Object({ name: Type.Optional(Type.String()), code: Type.Optional(Type.String()) }))),
  keywords: Type.Optional(Type.Array(Type.String())),
  copyrightholder: Type.Optional(Type.String()),
  copyrightnotice: Type.Optional(Type.String()),
  usageterms: Type.Optional(Type.String()),
});

type NinjsItem = Static<typeof Ninjs>;

function documents(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object') {
    const items = (doc as { items?: unknown }).items;
    if (Array.isArray(items)) return items;
    return [doc];
  }
  throw new FeedParseError('NINJS 须为对象或对象数组', 'NINJS must be an object or an array of objects');
}

function mainOf(list: Static<typeof Text>[] | undefined, role: string) {
  return list?.find((t) => (t.role ?? role) === role) ?? list?.[0];
}

function bodyParagraphs(item: NinjsItem): string[] {
  const bodies = item.bodies ?? [];
  const html = bodies.find((b) => (b.contenttype ?? '').includes('html'))?.value ?? item.body_html;
  if (html !== undefined) return htmlToParagraphs(html);
  const text = bodies.find((b) => !(b.contenttype ?? 'text/plain').includes('html'))?.value ?? item.body_text ?? '';
  return text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export function parseNinjs(body: string): ParsedFeed {
  const docs = documents(parseJson(body));
  checkCount(docs);
  const entries = docs.map((raw, i) => {
    const problem = schemaProblem(Ninjs, raw);
    if (problem) throw new FeedParseError(`第 ${i + 1} 条不是合法的 NINJS：${problem}`, `Item ${i + 1} is not valid NINJS: ${problem}`);
    const item = raw as NinjsItem;
    const summary = mainOf(item.descriptions, 'summary');
    const summaryText = summary ? htmlToLine(summary.value) : item.description_text ?? (item.description_html ? htmlToLine(item.description_html) : null);
    const subjects = [...(item.subjects ?? []), ...(item.subject ?? [])].map((s) => s.name ?? '').filter(Boolean);
    return entry(i + 1, {
      guid: item.uri,
      title: htmlToLine(mainOf(item.headlines, 'main')?.value ?? item.headline ?? ''),
      paragraphs: bodyParagraphs(item),
      summary: summaryText || null,
      link: /^https?:\/\//.test(item.uri) ? item.uri : null,
      published: parseDate(item.versioncreated ?? item.firstcreated),
      byline: item.bylines?.[0]?.byline ?? item.byline ?? null,
      creditLine: item.usageterms ?? item.copyrightnotice ?? item.copyrightholder ?? null,
      tags: [...subjects, ...(item.keywords ?? [])],
      language: item.language ?? null,
    });
  });
  return { format: 'ninjs', title: null, entries };
}
