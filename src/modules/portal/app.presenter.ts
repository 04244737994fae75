import type { AppBlock } from '../distribution/contract.ts';
import type { SiteCard } from './site.repo.ts';
import type { SiteItemRow } from './tables.ts';
import type { AppCard, AppItem } from './app.schema.ts';
import { articlePath, mediaPath } from './urls.ts';

/** The app API's view of site rows: absolute URLs, camelCase, no internal columns. */

export function presentCard(row: SiteCard, base: string): AppCard {
  return {
    id: row.item_id,
    type: row.item_type,
    title: row.title,
    summary: row.summary,
    cover: row.cover_asset_id ? { crop: row.cover_crop ?? 'crop_16x9', url: base + mediaPath(row.cover_asset_id, row.cover_crop ?? 'crop_16x9') } : null,
    category: row.category,
    regionCode: row.region_code,
    aiLabel: row.ai_label,
    publishedAt: row.published_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    revision: row.revision,
    unit: { id: row.unit_id, name: row.unit_name, slug: row.unit_slug },
    webUrl: base + articlePath(row.site_unit_slug, row.item_id),
  };
}

type PresentedBlock = Exclude<AppBlock, { type: 'image' }> | { type: 'image'; assetId: string; caption: string | null; url: string };

export function presentItem(row: SiteItemRow, base: string): AppItem {
  const blocks: PresentedBlock[] = row.retracted
    ? []
    : (row.blocks ?? []).map((b) => (b.type === 'image' ? { ...b, url: base + mediaPath(b.assetId, 'large') } : b));
  return {
    ...presentCard(row, base),
    blocks,
    tags: row.tags,
    byline: row.byline,
    source: row.source,
    correctionNote: row.correction_note,
    canonicalUrl: row.canonical_url,
    retracted: row.retracted,
    retractionNote: row.retracted ? row.retraction_note : null,
  };
}

/** An opaque cursor: where the last card of a page sits in (published time, id) order. */
export function encodeCursor(row: { published_at: Date; item_id: string }): string {
  return Buffer.from(`${row.published_at.toISOString()}|${row.item_id}`).toString('base64url');
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function decodeCursor(cursor: string): { publishedAt: Date; itemId: string } | null {
  const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) return null;
  const publishedAt = new Date(m[1]!);
  return Number.isNaN(publishedAt.getTime()) ? null : { publishedAt, itemId: m[2]! };
}
