import type { Label } from '../../../src/shared/labels.ts';
import type { I18n } from '../shared/i18n.ts';
import type { ItemStatus, ShareScope } from '../shared/types.ts';

/** Labels and small helpers shared by the 稿库 pages (hub, shared pool, incoming, editor, search). */

type Pair = Label;

export { itemStatusLabels as statusLabels, itemTypeLabels as typeLabels, shareScopeLabels as scopeLabels } from '../../../src/shared/labels.ts';

/**
 * What each 共享范围 means, under the choice in the editor: sharing is about the alliance's shared pool,
 * never about readers, so every line says so.
 */
export const scopeHelp: Record<ShareScope, Pair> = {
  unit: ['联合体内其他单位看不到这篇稿件。', 'Other units of the alliance do not see this story.'],
  parents: ['本单位的各级上级单位可在共享稿池看到，签发后可采用。', "The units above yours see it in their shared pool and may adopt it once signed off."],
  units: ['所选单位可在共享稿池看到，签发后可采用。', 'The chosen units see it in their shared pool and may adopt it once signed off.'],
  alliance: ['联合体所有单位可在共享稿池看到，签发后可采用。', 'Every unit of the alliance sees it in its shared pool and may adopt it once signed off.'],
};
export const scopeReadersNote: Pair = ['共享范围只管联合体内部的共享，不影响发布后读者能否阅读。', 'The share scope is about sharing inside the alliance; it does not change who can read the story once published.'];

export const statusColors: Partial<Record<ItemStatus, string>> = {
  incoming: 'purple',
  draft: 'default',
  submitted: 'blue',
  in_review: 'gold',
  signed_off: 'cyan',
  scheduled: 'geekblue',
  published: 'green',
  corrected: 'orange',
  retracted: 'red',
};

/** Categories offered in filters and the editor; free text is allowed too (the server takes any ≤ 40 chars). */
export const categories = ['时政', '经济', '社会', '文化', '旅游', '农业', '教育', '科技', '体育', '健康', '生态', '民生', '公共服务'];

export const fieldLabels: Record<string, Pair> = {
  title: ['标题', 'Title'],
  subtitle: ['副标题', 'Subtitle'],
  summary: ['摘要', 'Summary'],
  coverAssetId: ['封面图', 'Cover image'],
  byline: ['署名', 'Byline'],
  contributors: ['参与人员', 'Contributors'],
  source: ['来源', 'Source'],
  creditLine: ['版权署名', 'Credit line'],
  tags: ['标签', 'Tags'],
  category: ['分类', 'Category'],
  regionCode: ['地区', 'Region'],
  language: ['语言', 'Language'],
  liveUrl: ['直播地址', 'Live URL'],
  embargoUntil: ['禁发至', 'Embargo until'],
  aiAssisted: ['AI 辅助', 'AI-assisted'],
};

export const pick = (i18n: Pick<I18n, 't'>, pair: Pair) => i18n.t(pair[0], pair[1]);

/** Where the console loads an asset's bytes (the asset library's content route). */
export const assetSrc = (assetId: string, variant: 'thumb' | 'medium' | 'large' = 'medium') =>
  `/api/assets/${encodeURIComponent(assetId)}/content?variant=${variant}`;

/** "采用自 青羊区融媒体中心 · 来源：青羊区融媒体中心" */
export function provenanceLine(i18n: Pick<I18n, 't'>, p: { originUnitName: string; creditLine: string | null }): string {
  const credit = p.creditLine ? ` · ${p.creditLine}` : '';
  return i18n.t(`采用自 ${p.originUnitName}${credit}`, `Adopted from ${p.originUnitName}${credit}`);
}

/**
 * 智能理解: the background job's output (keywords, entities, summary, category suggestion, SimHash).
 * Its exact shape is the nlp colleague's to settle, so it is read defensively here: whatever is
 * missing or shaped otherwise is simply not shown.
 */
export interface Understanding {
  keywords: string[];
  people: string[];
  places: string[];
  organisations: string[];
  summary: string | null;
  category: { label: string; probability: number | null } | null;
  simhash: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function names(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v === 'string') out.push(v);
    else if (isRecord(v)) {
      const name = v.word ?? v.name ?? v.text ?? v.label;
      if (typeof name === 'string') out.push(name);
    }
  }
  return [...new Set(out)];
}

export function readUnderstanding(raw: unknown): Understanding | null {
  if (!isRecord(raw)) return null;
  const entities = isRecord(raw.entities) ? raw.entities : {};
  let category: Understanding['category'] = null;
  const c = raw.category ?? raw.categorySuggestion ?? raw.classification;
  if (typeof c === 'string') category = { label: c, probability: null };
  else if (isRecord(c)) {
    const label = c.label ?? c.category ?? c.name;
    const p = c.probability ?? c.confidence ?? c.score;
    if (typeof label === 'string') category = { label, probability: typeof p === 'number' ? p : null };
  } else if (Array.isArray(c) && isRecord(c[0])) {
    const first = c[0];
    const label = first.label ?? first.category;
    if (typeof label === 'string') category = { label, probability: typeof first.probability === 'number' ? first.probability : null };
  }
  const summary = typeof raw.summary === 'string' ? raw.summary : Array.isArray(raw.summary) ? names(raw.summary).join('') || null : null;
  return {
    keywords: names(raw.keywords),
    people: names(entities.people ?? entities.persons),
    places: names(entities.places),
    organisations: names(entities.organisations ?? entities.organizations ?? entities.orgs),
    summary,
    category,
    simhash: typeof raw.simhash === 'string' ? raw.simhash : null,
  };
}
