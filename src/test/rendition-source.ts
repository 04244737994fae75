import { type ContentDoc, type DocNode, assetIdsIn, plainText } from '../modules/content/doc.ts';
import type { RenditionSource } from '../modules/distribution/contract.ts';

/** A rendition source for tests: a short article of 锦江区, overridable field by field. */
export function testSource(overrides: Partial<RenditionSource> = {}): RenditionSource {
  const body = overrides.body ?? doc(p('11月27日，锦江区2026冬季文旅消费季在春熙路启动。'), p('活动持续到明年2月，涵盖美食、非遗和夜游。'));
  return {
    itemId: '00000000-0000-4000-8000-000000000001',
    unitId: '00000000-0000-4000-8000-0000000000aa',
    unitName: '锦江区融媒体中心',
    unitSlug: '510104',
    revision: 3,
    type: 'article',
    title: '锦江区启动冬季文旅消费季',
    subtitle: null,
    summary: '百项活动惠及市民游客。',
    byline: '记者 李明',
    source: null,
    creditLine: null,
    tags: ['文旅', '锦江'],
    category: 'culture',
    regionCode: '510104',
    language: 'zh-CN',
    liveUrl: null,
    aiAssisted: false,
    coverAssetId: 'cover-1',
    publishedAt: '2026-11-27T02:00:00.000Z',
    portalUrl: 'https://tianfu.example/portal/510104/a/00000000-0000-4000-8000-000000000001',
    canonicalUrl: 'https://tianfu.example/portal/510104/a/00000000-0000-4000-8000-000000000001',
    origin: null,
    correctionNote: null,
    ...overrides,
    body,
    bodyText: overrides.bodyText ?? plainText(body),
    imageAssetIds: overrides.imageAssetIds ?? [...assetIdsIn(body)],
  };
}

export const doc = (...content: DocNode[]): ContentDoc => ({ type: 'doc', content });
export const text = (t: string, marks?: DocNode['marks']): DocNode => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
export const p = (...parts: (string | DocNode)[]): DocNode => ({ type: 'paragraph', content: parts.map((x) => (typeof x === 'string' ? text(x) : x)) });
export const h = (level: number, t: string): DocNode => ({ type: 'heading', attrs: { level }, content: [text(t)] });
export const img = (assetId: string, caption?: string): DocNode => ({ type: 'image', attrs: { assetId, ...(caption ? { caption } : {}) } });
