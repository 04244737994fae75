import crypto from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import { type ContentDoc, docFromText } from '../modules/content/doc.ts';
import type { ChannelAdapter, ChannelRef, DeliveryAction, DeliveryRequest, Rendition, RenditionSource } from '../modules/distribution/contract.ts';
import { renderFor } from '../modules/distribution/renditions/index.ts';
import type { SiteKind } from '../modules/portal/tables.ts';

/** Test helpers: renditions built by hand and delivered through the site adapters, as the core would. */

export const BASE = 'http://localhost:3000';

export async function unitByCode(db: Db, code: string): Promise<{ id: string; name: string; slug: string }> {
  const u = await db.selectFrom('units').select(['id', 'name', 'division_code']).where('division_code', '=', code).executeTakeFirstOrThrow();
  return { id: u.id, name: u.name, slug: u.division_code! };
}

export interface StoryInput {
  unit: { id: string; name: string; slug: string };
  itemId?: string;
  revision?: number;
  title: string;
  summary?: string;
  paragraphs?: string[];
  category?: string | null;
  regionCode?: string | null;
  tags?: string[];
  publishedAt?: string;
  coverAssetId?: string | null;
  imageAssetIds?: string[];
  correctionNote?: string | null;
  origin?: RenditionSource['origin'];
  canonicalUrl?: string;
  type?: RenditionSource['type'];
  specialItemIds?: string[];
}

/** The body's pictures, after its paragraphs, as the editor would place them. */
function withImages(doc: ContentDoc, assetIds: string[]): ContentDoc {
  return { ...doc, content: [...(doc.content ?? []), ...assetIds.map((assetId) => ({ type: 'image' as const, attrs: { assetId, alt: '配图' } }))] };
}

export function source(s: StoryInput): RenditionSource {
  const itemId = s.itemId ?? crypto.randomUUID();
  const paragraphs = s.paragraphs ?? ['第一段正文。', '第二段正文。'];
  const portalUrl = `${BASE}/portal/${s.unit.slug}/a/${itemId}`;
  return {
    itemId,
    unitId: s.unit.id,
    unitName: s.unit.name,
    unitSlug: s.unit.slug,
    revision: s.revision ?? 1,
    type: s.type ?? 'article',
    title: s.title,
    subtitle: null,
    summary: s.summary ?? `${s.title}的摘要`,
    body: withImages(docFromText(paragraphs.join('\n')), s.imageAssetIds ?? []),
    bodyText: paragraphs.join('\n'),
    byline: '测试记者',
    source: null,
    creditLine: null,
    tags: s.tags ?? [],
    category: s.category === undefined ? '民生' : s.category,
    regionCode: s.regionCode === undefined ? s.unit.slug : s.regionCode,
    language: 'zh-CN',
    liveUrl: null,
    aiAssisted: false,
    coverAssetId: s.coverAssetId ?? null,
    imageAssetIds: s.imageAssetIds ?? [],
    publishedAt: s.publishedAt ?? new Date().toISOString(),
    portalUrl,
    canonicalUrl: s.canonicalUrl ?? portalUrl,
    origin: s.origin ?? null,
    correctionNote: s.correctionNote ?? null,
    ...(s.specialItemIds ? { specialItemIds: s.specialItemIds } : {}),
  };
}

/** What the core hands a site channel: the real rendition of the story. */
export function rendition(kind: SiteKind, src: RenditionSource): Rendition {
  return renderFor(kind, src);
}

/** A 1×1 PNG stands in for every picture (each asset's copy carries its id after the end, so two assets are two pictures). */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

export function channel(kind: SiteKind, unitId: string, id: string = crypto.randomUUID()): ChannelRef {
  return { id, unitId, kind, name: `${kind} 测试渠道`, config: {}, secrets: {} };
}

export async function deliver(
  adapters: ChannelAdapter[],
  ch: ChannelRef,
  src: RenditionSource,
  action: DeliveryAction = 'publish',
  extra: Partial<DeliveryRequest> = {},
) {
  const adapter = adapters.find((a) => a.kind === ch.kind)!;
  const req: DeliveryRequest = {
    deliveryId: crypto.randomUUID(),
    idempotencyKey: `${ch.id}:${src.itemId}:${action}:${src.revision}`,
    action,
    channel: ch,
    rendition: rendition(ch.kind as SiteKind, src),
    remote: action === 'publish' ? null : { id: src.itemId, url: null },
    media: { load: async (assetId: string) => ({ bytes: Buffer.concat([PNG, Buffer.from(assetId)]), mime: 'image/png', filename: `${assetId}.png` }) },
    signal: new AbortController().signal,
    source: src,
    ...extra,
  };
  return { req, result: await adapter.deliver(req) };
}
