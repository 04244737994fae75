import {
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
  textOf,
} from './feed.ts';
import { rawText, textParagraphs } from './xml.ts';

/**
 * IPTC NewsML-G2: a newsMessage whose itemSet holds newsItems, or a lone newsItem. Body from
 * contentSet/inlineXML (XHTML or NITF, kept raw and read by sanitize-html) or inlineData (text).
 */

function bodyOf(contentSet: unknown): string[] {
  const inlineXml = asArray(child(contentSet, 'inlineXML'))[0];
  if (inlineXml !== undefined) {
    let markup = rawText(inlineXml);
    // NITF: the story is body.content; body.head repeats the headline and byline.
    const nitf = /<body\.content[^>]*>([\s\S]*?)<\/body\.content>/i.exec(markup);
    if (nitf) markup = nitf[1]!;
    return htmlToParagraphs(markup);
  }
  const inlineData = asArray(child(contentSet, 'inlineData'))[0];
  if (inlineData !== undefined) {
    return textParagraphs(rawText(inlineData));
  }
  return [];
}

const byRole = (list: unknown[], role: string) => list.find((x) => (attr(x, 'role') ?? '').endsWith(role));

export function parseNewsMl(body: string): ParsedFeed {
  const doc = parseXml(body, {
    stopNodes: ['*.inlineXML', '*.inlineData'],
    arrays: ['newsItem', 'subject', 'keyword', 'headline', 'description', 'inlineXML', 'inlineData', 'name'],
  });
  const message = child(doc, 'newsMessage');
  const items = message ? asArray(child(child(message, 'itemSet'), 'newsItem')) : asArray(child(doc, 'newsItem'));
  if (!message && !items.length) throw new FeedParseError('不是 NewsML-G2：找不到 newsMessage 或 newsItem', 'Not NewsML-G2: no newsMessage or newsItem');
  checkCount(items);
  const entries = items.map((item, i) => {
    const guid = attr(item, 'guid');
    if (!guid) throw new FeedParseError(`第 ${i + 1} 条 newsItem 缺少 guid 属性`, `newsItem ${i + 1} has no guid attribute`);
    const meta = child(item, 'contentMeta');
    const itemMeta = child(item, 'itemMeta');
    const headlines = asArray(child(meta, 'headline'));
    const descriptions = asArray(child(meta, 'description'));
    const summary = byRole(descriptions, 'summary') ?? descriptions[0];
    const rights = child(item, 'rightsInfo');
    const subjects = asArray(child(meta, 'subject')).map((s) => textOf(asArray(child(s, 'name'))[0]));
    const keywords = asArray(child(meta, 'keyword')).map(textOf);
    return entry(i + 1, {
      guid,
      title: htmlToLine(textOf(byRole(headlines, 'main') ?? headlines[0])),
      paragraphs: bodyOf(child(item, 'contentSet')),
      summary: summary !== undefined ? htmlToLine(textOf(summary)) || null : null,
      link: null,
      published: parseDate(textOf(child(itemMeta, 'versionCreated')) || textOf(child(itemMeta, 'firstCreated'))),
      byline: textOf(child(meta, 'by')) || null,
      creditLine:
        textOf(child(meta, 'creditline')) || textOf(child(rights, 'usageTerms')) || textOf(asArray(child(child(rights, 'copyrightHolder'), 'name'))[0]) || null,
      tags: [...subjects, ...keywords],
      language: attr(child(meta, 'language'), 'tag') ?? attr(item, 'lang'),
    });
  });
  return { format: 'newsml', title: null, entries };
}
