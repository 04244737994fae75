import crypto from 'node:crypto';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/database.ts';
import { type ChannelAdapter, type DeliveryRequest, type DeliveryResult, DeliveryError, type RenditionSource } from '../distribution/contract.ts';
import { unitSlug } from '../distribution/urls.ts';
import * as repo from './site.repo.ts';
import { siteChanged } from './site.events.ts';
import type { SiteItemRow, SiteKind } from './tables.ts';
import { mediaPath } from './urls.ts';

/**
 * The internal channels: the unit's portal, its app delivery API and its feeds. Delivering is an
 * upsert into the site store (so a repeat is harmless), an update is the same upsert with a newer
 * revision, a retraction keeps the row with a notice, and reconciling is a look-up by item and key.
 */
export function siteAdapters(db: Db): ChannelAdapter[] {
  return (['portal', 'app', 'feed'] as const).map((kind) => siteAdapter(db, kind));
}

const settings = {
  config: Type.Object({}, { additionalProperties: false, description: '站内渠道无需设置 / internal channels need no settings' }),
  secrets: Type.Object({}, { additionalProperties: false }),
};

export function siteAdapter(db: Db, kind: SiteKind): ChannelAdapter {
  return {
    kind,
    supports: { update: true, retract: true },
    settings,
    async deliver(req) {
      const site = await siteOf(db, req);
      if (req.action === 'retract') {
        const itemId = req.source?.itemId ?? req.remote?.id;
        if (!itemId) throw new DeliveryError('rejected', 'a retraction names no item (no source, no earlier delivery)');
        const row = await repo.markRetracted(db, req.channel.id, itemId, req.retractionNote ?? null, req.idempotencyKey);
        siteChanged({ siteSlug: site.slug, itemId });
        return result(kind, site.slug, itemId, row ? baseOf(row.link) : null);
      }
      const source = req.source;
      if (!source) throw new DeliveryError('rejected', `the ${kind} channel needs the revision (DeliveryRequest.source) to file the story`);
      await copyMedia(db, req, source);
      await repo.upsert(db, rowFor(kind, req, source, site));
      siteChanged({ siteSlug: site.slug, itemId: source.itemId });
      return result(kind, site.slug, source.itemId, baseOf(source.portalUrl));
    },
    async reconcile(req) {
      const itemId = req.source?.itemId ?? req.remote?.id;
      if (!itemId) return null;
      const row = await repo.findOnChannel(db, req.channel.id, itemId);
      if (!row || row.idempotency_key !== req.idempotencyKey) return null;
      return result(kind, row.site_unit_slug, itemId, baseOf(row.link));
    },
  };
}

async function siteOf(db: Db, req: DeliveryRequest): Promise<{ id: string; slug: string }> {
  const unit = await repo.unitForSite(db, req.channel.unitId);
  if (!unit) throw new DeliveryError('rejected', `the channel's unit ${req.channel.unitId} does not exist`);
  return { id: unit.id, slug: unitSlug(unit) };
}

function baseOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Where the story now is on this channel: the remote id is the item id (one row per channel and item). */
function result(kind: SiteKind, slug: string, itemId: string, base: string | null): DeliveryResult {
  if (!base) return { remoteId: itemId, remoteUrl: null };
  const path = { portal: `/portal/${slug}/a/${itemId}`, app: `/api/app/v1/items/${itemId}`, feed: `/feeds/${slug}/feed.json` }[kind];
  return { remoteId: itemId, remoteUrl: base + path };
}

/**
 * Pictures are copied to the public side at delivery (the library is private): the cover in its
 * channel crop, body pictures in the large variant. An asset's bytes never change, so a copy made
 * once serves every later delivery.
 */
async function copyMedia(db: Db, req: DeliveryRequest, source: RenditionSource) {
  const wanted: [string, string][] = [];
  const cover = req.rendition.cover;
  if (cover) wanted.push([cover.assetId, cover.crop]);
  // With pictures in the body, the cover's large copy too: the article page compares its bytes with the
  // body's first picture to show a picture uploaded twice (cover and body) once.
  if (cover && source.imageAssetIds.length && !source.imageAssetIds.includes(cover.assetId)) wanted.push([cover.assetId, 'large']);
  for (const id of source.imageAssetIds) wanted.push([id, 'large']);
  for (const [assetId, variant] of wanted) {
    if (await repo.hasMedia(db, assetId, variant)) continue;
    let file: Awaited<ReturnType<DeliveryRequest['media']['load']>>;
    try {
      file = await req.media.load(assetId, variant as 'large');
    } catch (err) {
      throw new DeliveryError('retry', `could not load picture ${assetId} (${variant}): ${(err as Error).message}`);
    }
    const etag = `"${crypto.createHash('sha256').update(file.bytes).digest('hex').slice(0, 32)}"`;
    await repo.putMedia(db, { asset_id: assetId, variant, mime: file.mime, bytes: file.bytes, etag });
  }
}

/** Points the body's pictures at their public copies, whatever URL the rendition used for them. */
export function publicImages(html: string, assetIds: string[]): string {
  let out = html;
  for (const id of assetIds) {
    out = out.replace(new RegExp(`src="[^"]*${id}[^"]*"`, 'g'), `src="${mediaPath(id, 'large')}"`);
  }
  return out;
}

function rowFor(kind: SiteKind, req: DeliveryRequest, s: RenditionSource, site: { id: string; slug: string }): Omit<SiteItemRow, 'blocks' | 'retracted_at'> & { blocks: string | null; retracted_at: null } {
  const r = req.rendition;
  return {
    channel_id: req.channel.id,
    item_id: s.itemId,
    kind,
    site_unit_id: site.id,
    site_unit_slug: site.slug,
    unit_id: s.unitId,
    unit_name: s.unitName,
    unit_slug: s.unitSlug,
    item_type: s.type,
    title: r.title,
    summary: r.summary,
    html: r.html === null ? null : publicImages(r.html, s.imageAssetIds),
    blocks: r.blocks ? JSON.stringify(r.blocks) : null,
    body_text: s.bodyText,
    cover_asset_id: r.cover?.assetId ?? null,
    cover_crop: r.cover?.crop ?? null,
    ai_label: r.aiLabel,
    byline: s.byline,
    source: s.source,
    category: s.category,
    region_code: s.regionCode,
    tags: s.tags,
    special_item_ids: s.specialItemIds ?? [],
    link: r.link,
    canonical_url: s.canonicalUrl,
    origin_item_id: s.origin?.itemId ?? null,
    origin_unit_name: s.origin?.unitName ?? null,
    revision: s.revision,
    correction_note: s.correctionNote,
    retracted: false,
    retraction_note: null,
    retracted_at: null,
    published_at: new Date(s.publishedAt),
    updated_at: new Date(),
    idempotency_key: req.idempotencyKey,
  };
}
