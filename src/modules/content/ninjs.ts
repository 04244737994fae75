import type { ContentItemRow } from './tables.ts';

/**
 * IPTC NINJS 2.1 (News in JSON) for one item, the exchange format other newsrooms and wires read.
 * https://iptc.org/std/ninjs/ — fields we have no value for are left out rather than sent empty.
 */

const ninjsType: Record<ContentItemRow['type'], string> = {
  article: 'text',
  gallery: 'composite',
  video: 'video',
  audio: 'audio',
  live: 'video',
  special: 'composite',
};

function pubstatus(status: ContentItemRow['status']): 'usable' | 'withheld' | 'canceled' {
  if (status === 'published' || status === 'corrected' || status === 'signed_off') return 'usable';
  if (status === 'retracted') return 'canceled';
  return 'withheld';
}

interface Understanding {
  keywords?: { word: string }[];
  entities?: { places?: { name: string; code?: string }[]; people?: { name: string }[]; organisations?: { name: string }[] };
}

export function toNinjs(item: ContentItemRow, ctx: { baseUrl: string; unitName: string; originUnitName?: string; assetUrl: (id: string) => string }) {
  const u = (item.understanding ?? {}) as Understanding;
  const compact = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));
  return compact({
    $schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json',
    uri: `${ctx.baseUrl}/api/items/${item.id}`,
    type: ninjsType[item.type],
    profile: `tianfu:${item.type}`,
    version: String(item.revision),
    firstcreated: new Date(item.created_at).toISOString(),
    versioncreated: new Date(item.updated_at).toISOString(),
    embargoed: item.embargo_until ? new Date(item.embargo_until).toISOString() : null,
    pubstatus: pubstatus(item.status),
    language: item.language,
    copyrightholder: ctx.unitName,
    headlines: [
      { role: 'main', value: item.title },
      ...(item.subtitle ? [{ role: 'sub', value: item.subtitle }] : []),
    ],
    descriptions: item.summary ? [{ role: 'summary', contenttype: 'text/plain', value: item.summary }] : [],
    bodies: [
      { role: 'main', contenttype: 'text/html', value: item.body_html },
      { role: 'main', contenttype: 'text/plain', value: item.body_text },
    ],
    bylines: [
      ...(item.byline ? [{ byline: item.byline, role: 'author' }] : []),
      ...item.contributors.map((c) => ({ byline: c.name, role: c.role })),
    ],
    keywords: [...item.tags, ...(u.keywords ?? []).map((k) => k.word)].filter((v, i, a) => a.indexOf(v) === i),
    subjects: item.category ? [{ name: item.category, scheme: 'tianfu:category' }] : [],
    places: [
      ...(item.region_code ? [{ uri: `http://www.stats.gov.cn/division/${item.region_code}`, code: item.region_code }] : []),
      ...(u.entities?.places ?? []).map((p) => ({ name: p.name, ...(p.code ? { code: p.code } : {}) })),
    ],
    people: (u.entities?.people ?? []).map((p) => ({ name: p.name })),
    organisations: (u.entities?.organisations ?? []).map((o) => ({ name: o.name })),
    infosources: [
      { name: ctx.unitName, role: 'publisher' },
      ...(item.origin_unit_id && ctx.originUnitName ? [{ name: ctx.originUnitName, role: 'originator', uri: `${ctx.baseUrl}/api/items/${item.origin_item_id}` }] : []),
      ...(item.source ? [{ name: item.source, role: 'source' }] : []),
    ],
    usageterms: item.credit_line,
    associations: item.cover_asset_id ? { cover: { uri: `${ctx.baseUrl}${ctx.assetUrl(item.cover_asset_id)}`, type: 'picture' } } : null,
    trustindicators: item.ai_assisted ? [{ name: 'AI 辅助生成 / AI-assisted', uri: 'urn:tianfu:ai-assisted' }] : [],
  });
}
