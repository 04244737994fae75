// Named entities (命名实体): places, people and organisations mentioned in a story, from jieba's
// part-of-speech tags plus a gazetteer of place names (for Sichuan: `sichuanPlaceNames()`).
import { getJieba } from './jieba.ts';
import { charLength, normalizeText } from './normalize.ts';
import type { GazetteerPlace } from './sichuan-places.ts';
import { stopWords } from './stopwords.ts';
import { looksLikeChineseName } from './surnames.ts';

export interface NamedEntity {
  name: string;
  count: number;
}

export interface PlaceEntity extends NamedEntity {
  /** Division code when the place came from a gazetteer entry that has one and only one. */
  code?: string;
}

export interface Entities {
  places: PlaceEntity[];
  people: NamedEntity[];
  organisations: NamedEntity[];
  /** Other proper nouns (jieba's nz: events, brands, works — 大运会, 熊猫基地). */
  others: NamedEntity[];
}

/** A place to look for: a bare name, or a gazetteer entry carrying its official name and code. */
export type PlaceName = string | Pick<GazetteerPlace, 'name' | 'code' | 'officialName'>;

// Everyday words that jieba's dictionary tags as places (ns).
const NOT_PLACES = new Set(['城市', '上市', '东西', '海归', '嘉宾', '回国', '外国', '三国', '华夏', '九州', '全国', '各地', '当地', '本地', '国内', '国外', '海外', '内地', '中外', '东方', '南方', '北方', '西部', '东部', '中部', '新区', '深度', '欧阳']);

// Words that end an organisation's name; the nouns before them are its qualifier (成都市 + 锦江区 + 融媒体 + 中心).
const ORGANISATION_HEADS = new Set(['大学', '学院', '学校', '中学', '小学', '医院', '银行', '公司', '有限公司', '分公司', '集团', '政府', '人民政府', '委员会', '局', '厅', '委', '宣传部', '协会', '中心', '研究院', '研究所', '法院', '检察院', '联合体', '日报', '报社', '电视台', '广播电视台', '出版社', '基金会', '联合会']);
const ORGANISATION_QUALIFIER_MAX_WORDS = 4;

interface Word {
  word: string;
  tag: string;
  start: number;
  end: number;
}

interface GazetteerEntry {
  officialName: string;
  /** undefined when two divisions share the name (内江 and 乐山 each have a 市中区). */
  code: string | undefined;
  /** An official name is distinctive enough to match anywhere; a short form only as a whole word. */
  official: boolean;
}

class Counter {
  private readonly counts = new Map<string, number>();
  add(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  /** Most frequent first; ties in order of first mention. */
  entries(): Array<[string, number]> {
    return [...this.counts].sort((a, b) => b[1] - a[1]);
  }
}

function taggedWords(text: string): Word[] {
  // HMM on: names missing from the dictionary (王晓晖) come out whole, tagged x.
  const words: Word[] = [];
  let offset = 0;
  for (const { word, tag } of getJieba().tag(text, true)) {
    const start = text.indexOf(word, offset);
    const at = start < 0 ? offset : start;
    words.push({ word, tag, start: at, end: at + word.length });
    offset = at + word.length;
  }
  return words;
}

function buildGazetteer(places: readonly PlaceName[]): Map<string, GazetteerEntry> {
  const gazetteer = new Map<string, GazetteerEntry>();
  for (const place of places) {
    const entry: GazetteerEntry =
      typeof place === 'string'
        ? { officialName: place, code: undefined, official: true }
        : { officialName: place.officialName, code: place.code, official: place.name === place.officialName };
    const name = typeof place === 'string' ? place : place.name;
    if (charLength(name) < 2) continue;
    const existing = gazetteer.get(name);
    if (existing !== undefined && existing.code !== entry.code) existing.code = undefined;
    else gazetteer.set(name, entry);
  }
  return gazetteer;
}

interface GazetteerMatch {
  start: number;
  end: number;
  entry: GazetteerEntry;
}

/** Longest gazetteer names first, left to right, without overlaps. */
function matchGazetteer(text: string, words: readonly Word[], gazetteer: Map<string, GazetteerEntry>): GazetteerMatch[] {
  if (gazetteer.size === 0) return [];
  const boundaries = new Set<number>([text.length]);
  for (const word of words) boundaries.add(word.start);
  const byFirstChar = new Map<string, string[]>();
  for (const name of gazetteer.keys()) {
    const list = byFirstChar.get(name.charAt(0)) ?? [];
    list.push(name);
    byFirstChar.set(name.charAt(0), list);
  }
  for (const list of byFirstChar.values()) list.sort((a, b) => b.length - a.length);

  const matches: GazetteerMatch[] = [];
  let i = 0;
  while (i < text.length) {
    const candidates = byFirstChar.get(text.charAt(i)) ?? [];
    const name = candidates.find((candidate) => {
      if (!text.startsWith(candidate, i)) return false;
      const entry = gazetteer.get(candidate);
      if (entry === undefined) return false;
      // A short form (锦江, 南充) must be a whole word: 西南充满 is not 南充.
      return entry.official || (boundaries.has(i) && boundaries.has(i + candidate.length));
    });
    const entry = name === undefined ? undefined : gazetteer.get(name);
    if (name === undefined || entry === undefined) {
      i++;
      continue;
    }
    matches.push({ start: i, end: i + name.length, entry });
    i += name.length;
  }
  return matches;
}

function isHanWord(word: string): boolean {
  return /^\p{Script=Han}{2,}$/u.test(word);
}

function isPerson({ word, tag }: Word): boolean {
  // nr/nrfg are dictionary names; x is a word HMM found, which in news is most often a name.
  // Foreign names (nrt) are left out: jieba tags too many ordinary words that way.
  return (tag === 'nr' || tag === 'nrfg' || tag === 'x') && looksLikeChineseName(word);
}

function isOrganisationHead(word: Word): boolean {
  if (ORGANISATION_HEADS.has(word.word)) return true;
  // 石油大学/nt, 联合体/nt: an organisation word that still takes a qualifier (西南 + 石油大学).
  // One-character heads are left out here: 新格局/nt ends in 局 but is no bureau.
  return word.tag === 'nt' && isHanWord(word.word) && [...ORGANISATION_HEADS].some((head) => head.length > 1 && word.word.endsWith(head));
}

function isProperNoun(word: Word): boolean {
  return word.tag === 'ns' || word.tag === 'nt' || word.tag === 'nz' || word.tag === 'j' || word.tag === 'x';
}

/**
 * 成都市/ns 锦江区/ns 融媒体/n 中心/n → 成都市锦江区融媒体中心: the nouns right before the head, as
 * long as one of them is a proper noun (a bare 体育中心 names no particular organisation).
 */
function organisationEndingAt(words: readonly Word[], headIndex: number): { name: string; firstIndex: number } | undefined {
  let first = headIndex;
  let qualified = false;
  for (let i = headIndex - 1; i >= 0 && headIndex - i <= ORGANISATION_QUALIFIER_MAX_WORDS; i--) {
    const word = words[i];
    if (word === undefined || !/^\p{Script=Han}+$/u.test(word.word)) break;
    // Nouns, verbal nouns (融/vn 媒体), abbreviations (j) and unknown words (x) qualify an organisation.
    const qualifies = word.tag.startsWith('n') || word.tag === 'vn' || word.tag === 'j' || word.tag === 'x';
    if (!qualifies) break;
    if (NOT_PLACES.has(word.word) || stopWords().has(word.word)) break;
    first = i;
    if (isProperNoun(word)) qualified = true;
  }
  if (!qualified) return undefined;
  return { name: words.slice(first, headIndex + 1).map((w) => w.word).join(''), firstIndex: first };
}

/**
 * Places, people, organisations and other proper nouns in `text`, each with how often it is
 * mentioned, most mentioned first. Names come out in Simplified Chinese.
 *
 * `places` adds a gazetteer: bare names, or entries from `sichuanPlaceNames()` — then a match is
 * reported under its official name with its division code (成都 → 成都市, 510100).
 */
export function entities(text: string, places: readonly PlaceName[] = []): Entities {
  const normalized = normalizeText(text);
  const words = taggedWords(normalized);
  const gazetteerMatches = matchGazetteer(normalized, words, buildGazetteer(places));

  const placeCounts = new Counter();
  const placeCodes = new Map<string, string | undefined>();
  for (const { entry } of gazetteerMatches) {
    placeCounts.add(entry.officialName);
    placeCodes.set(entry.officialName, entry.code);
  }
  const insideGazetteerMatch = (word: Word): boolean =>
    gazetteerMatches.some((match) => word.start < match.end && word.end > match.start);

  const people = new Counter();
  const organisations = new Counter();
  const others = new Counter();
  const stop = stopWords();
  let organisationUntil = -1; // words already counted as part of a merged organisation name
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (word === undefined || charLength(word.word) < 2 || stop.has(word.word)) continue;
    if (isOrganisationHead(word)) {
      const organisation = organisationEndingAt(words, index);
      if (organisation !== undefined && organisation.firstIndex > organisationUntil) {
        organisations.add(organisation.name);
        organisationUntil = index;
        continue;
      }
    }
    if (index <= organisationUntil) continue;
    if (word.tag === 'ns') {
      if (!insideGazetteerMatch(word) && !NOT_PLACES.has(word.word) && isHanWord(word.word)) placeCounts.add(word.word);
    } else if (word.tag === 'nt') {
      organisations.add(word.word);
    } else if (word.tag === 'nz') {
      if (isHanWord(word.word)) others.add(word.word);
    } else if (isPerson(word)) {
      people.add(word.word);
    }
  }

  const toEntities = (counter: Counter): NamedEntity[] => counter.entries().map(([name, count]) => ({ name, count }));
  return {
    places: placeCounts.entries().map(([name, count]) => {
      const code = placeCodes.get(name);
      return code === undefined ? { name, count } : { name, count, code };
    }),
    people: toEntities(people),
    organisations: toEntities(organisations),
    others: toEntities(others),
  };
}
