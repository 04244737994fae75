import { type FeedFormat, FeedParseError, type ParsedFeed, rootElement } from './feed.ts';
import { parseJsonFeed } from './parse-jsonfeed.ts';
import { parseNewsMl } from './parse-newsml.ts';
import { parseNinjs } from './parse-ninjs.ts';
import { parseAtom, parseRss } from './parse-rss.ts';

const parsers: Record<FeedFormat, (body: string) => ParsedFeed> = {
  rss: parseRss,
  atom: parseAtom,
  jsonfeed: parseJsonFeed,
  ninjs: parseNinjs,
  newsml: parseNewsMl,
};

/** Which format a document is: by its first character, then its root element or JSON Feed version. */
export function detectFormat(body: string): FeedFormat {
  const start = body.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    return /"version"\s*:\s*"https:\/\/jsonfeed\.org\/version\//.test(start.slice(0, 4000)) ? 'jsonfeed' : 'ninjs';
  }
  if (start.startsWith('<')) {
    const root = rootElement(start);
    if (root === 'rss' || root === 'RDF') return 'rss';
    if (root === 'feed') return 'atom';
    if (root === 'newsMessage' || root === 'newsItem') return 'newsml';
    throw new FeedParseError(`无法识别的 XML 源（根元素 <${root ?? '?'}>）`, `Unrecognised XML feed (root element <${root ?? '?'}>)`);
  }
  throw new FeedParseError('无法识别的源格式：既不是 XML 也不是 JSON', 'Unrecognised feed: neither XML nor JSON');
}

/** Parses a whole feed document, every entry or none (FeedParseError). */
export function parseFeed(body: string, format: FeedFormat | 'auto' = 'auto'): ParsedFeed {
  if (!body.trim()) throw new FeedParseError('源返回了空内容', 'The feed is empty');
  return parsers[format === 'auto' ? detectFormat(body) : format](body);
}
