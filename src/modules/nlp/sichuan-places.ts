// Gazetteer of Sichuan's administrative divisions (行政区划), read from the alliance module's
// NBS division list, with the short forms people write in news copy (成都市 → 成都).
import { readFileSync } from 'node:fs';
import { charLength } from './normalize.ts';

/** One name under which a division can appear in text. */
export interface GazetteerPlace {
  /** The form to look for in text: official (锦江区) or short (锦江). */
  name: string;
  /** NBS division code (统计用区划代码), e.g. 510104. */
  code: string;
  /** The official name, e.g. 锦江区. */
  officialName: string;
  level: 'province' | 'prefecture' | 'county';
}

interface Division {
  code: string;
  name: string;
}

interface SichuanDivisions {
  province: Division;
  prefectures: Array<Division & { counties: Division[] }>;
}

// Ethnic groups named in Sichuan's autonomous divisions (阿坝藏族羌族自治州, 北川羌族自治县 …).
const ETHNIC_GROUPS = ['藏族', '羌族', '彝族', '土家族', '苗族', '回族', '蒙古族', '傈僳族', '纳西族'];
const AUTONOMY_SUFFIXES = ['自治州', '自治县'];
const PLAIN_SUFFIXES = ['省', '市', '区', '县', '地区'];

/**
 * Short forms that are also everyday words or other places' names, so finding them in text says
 * little: 南部 (南部县, but mostly "the south of"), 市中 (市中区, in 市中心), 东坡 (苏东坡), 名山 (名山大川),
 * 前锋 (a forward), 白玉 (jade), 安居 (安居乐业), 朝天 (朝天门), 九龙 (Hong Kong), 长宁 (Shanghai), 金牛 (Taurus).
 * Their official names (南部县 …) are still matched.
 */
const AMBIGUOUS_SHORT_FORMS = new Set(['南部', '市中', '东坡', '名山', '前锋', '白玉', '安居', '朝天', '九龙', '长宁', '金牛', '仁和', '大安', '东兴', '沙湾']);

/** 阿坝藏族羌族自治州 → 阿坝, 成都市 → 成都, 锦江区 → 锦江; undefined when nothing of ≥ 2 characters is left. */
export function shortPlaceName(officialName: string): string | undefined {
  let name = officialName;
  const autonomy = AUTONOMY_SUFFIXES.find((suffix) => name.endsWith(suffix));
  if (autonomy !== undefined) {
    name = name.slice(0, -autonomy.length);
    let stripped = true;
    while (stripped) {
      stripped = false;
      for (const group of ETHNIC_GROUPS) {
        if (name.endsWith(group)) {
          name = name.slice(0, -group.length);
          stripped = true;
        }
      }
    }
  } else {
    const suffix = PLAIN_SUFFIXES.filter((s) => name.endsWith(s)).sort((a, b) => b.length - a.length)[0];
    if (suffix !== undefined) name = name.slice(0, -suffix.length);
  }
  if (name === officialName || charLength(name) < 2) return undefined;
  return name;
}

function readDivisions(): SichuanDivisions {
  const url = new URL('../alliance/data/sichuan-2023.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as SichuanDivisions;
}

let cached: readonly GazetteerPlace[] | undefined;

/**
 * Every Sichuan division under its official name and, where distinctive, its short form.
 * When two divisions share a short form (阿坝州 and 阿坝县 both give 阿坝) the larger one keeps it,
 * because that is what news copy usually means; two counties with the same official name
 * (内江 and 乐山 each have a 市中区) both stay and the caller sees both codes as candidates.
 */
export function sichuanPlaceNames(): readonly GazetteerPlace[] {
  if (cached !== undefined) return cached;
  const data = readDivisions();
  const places: GazetteerPlace[] = [];
  const shortFormsTaken = new Set<string>();
  const add = (division: Division, level: GazetteerPlace['level']): void => {
    places.push({ name: division.name, code: division.code, officialName: division.name, level });
    const short = shortPlaceName(division.name);
    if (short === undefined || AMBIGUOUS_SHORT_FORMS.has(short)) return;
    // Autonomous divisions are usually written 凉山州 / 北川县 as well as 凉山 / 北川.
    const autonomousForm = division.name.endsWith('自治州') ? `${short}州` : division.name.endsWith('自治县') ? `${short}县` : undefined;
    for (const form of autonomousForm === undefined ? [short] : [short, autonomousForm]) {
      if (shortFormsTaken.has(form)) continue;
      shortFormsTaken.add(form);
      places.push({ name: form, code: division.code, officialName: division.name, level });
    }
  };
  // Larger divisions first, so they win shared short forms.
  add(data.province, 'province');
  for (const prefecture of data.prefectures) add(prefecture, 'prefecture');
  for (const prefecture of data.prefectures) for (const county of prefecture.counties) add(county, 'county');
  cached = places;
  return places;
}
