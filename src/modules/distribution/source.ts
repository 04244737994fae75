import type { Transaction } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/tables.ts';
import { notFound } from '../../platform/http/problem.ts';
import { type ContentDoc, assetIdsIn, plainText } from '../content/doc.ts';
import type { Snapshot } from '../content/service.ts';
import type { RenditionSource } from './contract.ts';
import { unitsByIds } from '../alliance/queries.ts';
import * as content from '../content/queries.ts';
import { publicationState } from '../newsroom/queries.ts';
import { portalUrls, unitSlug } from './urls.ts';

/**
 * 一次采集: the one revision every rendition starts from, read as it was saved (the revision's snapshot,
 * never the working copy), with where it lives for readers and where it came from.
 * `base` is the public URL of the platform (publicBase(config)).
 */
export async function loadRenditionSource(db: Db | Transaction<Database>, itemId: string, revision: number, base: string): Promise<RenditionSource> {
  const item = await content.findItem(db, itemId);
  if (!item) throw notFound({ zh: '稿件', en: 'Item' }, itemId);
  const rev = await content.findRevision(db, itemId, revision);
  if (!rev) throw notFound({ zh: '修订版本', en: 'Revision' }, String(revision));
  const units = new Map((await unitsByIds(db, [item.unit_id, ...(item.origin_unit_id ? [item.origin_unit_id] : [])])).map((u) => [u.id, u]));
  const unit = units.get(item.unit_id)!;
  const state = await publicationState(db, itemId);
  const snap = rev.snapshot as Snapshot;
  const body = snap.body as ContentDoc;
  const urls = portalUrls(base);
  const portalUrl = urls.article(unitSlug(unit), item.id);
  const originUnit = item.origin_unit_id ? units.get(item.origin_unit_id) : undefined;
  const origin = originUnit && item.origin_item_id ? { unitId: originUnit.id, unitName: originUnit.name, itemId: item.origin_item_id } : null;
  // The correction note belongs to the publication of this very revision; an older revision has none.
  const correctionNote = state?.published_revision === revision ? state.correction_note : null;
  const publishedAt = (state?.published_revision === revision && state.published_at) || state?.signed_off_at || rev.created_at;
  const imageAssetIds = [...assetIdsIn(body)];
  const assetIds = [...new Set([...(snap.coverAssetId ? [snap.coverAssetId] : []), ...imageAssetIds])];
  const videos = new Set(await content.videoAssetIds(db, [...units.keys()], assetIds));
  return {
    itemId: item.id,
    unitId: unit.id,
    unitName: unit.name,
    unitSlug: unitSlug(unit),
    revision,
    type: item.type,
    title: snap.title,
    subtitle: snap.subtitle ?? null,
    summary: snap.summary ?? null,
    body,
    bodyText: rev.body_text ?? plainText(body),
    byline: snap.byline ?? null,
    source: snap.source ?? null,
    creditLine: snap.creditLine ?? null,
    tags: snap.tags ?? [],
    category: snap.category ?? null,
    regionCode: snap.regionCode ?? null,
    language: snap.language ?? 'zh-CN',
    liveUrl: snap.liveUrl ?? null,
    aiAssisted: snap.aiAssisted ?? false,
    coverAssetId: snap.coverAssetId ?? null,
    imageAssetIds: imageAssetIds.filter((id) => !videos.has(id)),
    videoAssetIds: assetIds.filter((id) => videos.has(id)),
    publishedAt: new Date(publishedAt).toISOString(),
    portalUrl,
    canonicalUrl: origin && originUnit ? urls.article(unitSlug(originUnit), origin.itemId) : portalUrl,
    origin,
    correctionNote,
    ...(item.type === 'special' ? { specialItemIds: await content.specialMembers(db, item.id) } : {}),
  };
}
