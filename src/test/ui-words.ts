/**
 * What counts as English (or a raw code) in the Chinese console: Latin-letter words left over once the
 * things that are Latin by nature are taken out. Used by chinese-ui.browser.test.ts on each page's
 * visible text; the words allowed here are the ones a Chinese newsroom itself writes in Latin letters.
 */

/** Taken out before words are counted: addresses, identifiers and times are Latin whatever the language. */
const NOT_WORDS: readonly RegExp[] = [
  /\bhttps?:\/\/\S+/g, // links (a rendition's link, a webhook's receiver)
  /\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, // e-mail addresses
  /\b([a-z0-9-]+\.)+(cn|com|net|org|gov\.cn)\b/g, // domain names (a Weibo app's safe domain)
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // ids
  /\b(?=[0-9a-f]*\d)[0-9a-f]{7,}\b/gi, // hashes and their short forms (the audit chain)
  /\b\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?\b/g, // ISO dates
  /(^|\s)\/[\w./:?=&%-]*/g, // paths (/api/..., /portal/...)
];

/**
 * Latin words a Chinese newsroom writes as they are, each for a reason:
 * - units: KB MB GB px;
 * - formats, protocols and standards named by their own names: RSS, Atom, JSON Feed, NINJS, NewsML-G2, PDF,
 *   API, HTTP(S), URL, HTML, CSV, TXT, OpenAPI, VAPID, TOTP, HMAC, SHA-256, AES-256-GCM, SM3, OAuth2, IP, ID;
 * - products and vendors that have no Chinese name: JPush (极光 is the company), Getui, Google/Microsoft Authenticator;
 * - AI (as in AI 生成标识, the label the regulations require);
 * - houbb/sensitive-word: the open-source lexicon the default 敏感词库 comes from, credited by its name as its licence asks;
 * - the credentials' names exactly as each platform's own Chinese console shows them, so an admin can find them:
 *   AppID, AppSecret, media_id, client_key, open_id, access_token, refresh_token, act., rft.;
 * - the language switch's EN, which is there for people who read English.
 */
export const ALLOWED_WORDS: ReadonlySet<string> = new Set([
  'KB', 'MB', 'GB', 'px',
  'RSS', 'Atom', 'JSON', 'Feed', 'NINJS', 'NewsML-G2', 'PDF', 'API', 'HTTP', 'HTTPS', 'URL', 'HTML', 'CSV', 'TXT', 'txt', 'csv',
  'OpenAPI', 'VAPID', 'TOTP', 'HMAC', 'SHA-256', 'AES-256-GCM', 'SM3', 'OAuth2', 'IP', 'ID',
  'JPush', 'Getui', 'Google', 'Microsoft', 'Authenticator',
  'AI',
  'houbb', 'sensitive-word',
  'AppID', 'AppSecret', 'media_id', 'client_key', 'open_id', 'access_token', 'refresh_token', 'act', 'rft', 'wx',
  'EN',
]);

/** The Latin words in `text` that are not allowed (and not in `extra`, e.g. the test data's usernames), each once. */
export function foreignWords(text: string, extra: ReadonlySet<string> = new Set()): string[] {
  let rest = text;
  for (const pattern of NOT_WORDS) rest = rest.replace(pattern, ' ');
  const words = rest.match(/[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*/g) ?? [];
  return [...new Set(words)].filter((w) => !ALLOWED_WORDS.has(w) && !extra.has(w));
}
