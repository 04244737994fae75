import type { Actor } from '../../../policies/index.ts';
import { asset as assetRules, can } from '../../../policies/index.ts';
import type { AssetWithUnit } from './assets.repo.ts';
import type { AssetDto } from './assets.schema.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

export const contentUrl = (id: string, variant?: string) =>
  `/api/assets/${id}/content${variant ? `?variant=${variant}` : ''}`;

/** The API view of an asset: storage keys stay inside; URLs point at the content route. */
export function presentAsset(row: AssetWithUnit, actor: Actor): AssetDto {
  const variants: AssetDto['variants'] = {};
  for (const [name, r] of Object.entries(row.variants)) {
    variants[name] = { width: r.width, height: r.height, size: r.size, mime: r.mime, url: contentUrl(row.id, name) };
  }
  return {
    id: row.id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    kind: row.kind,
    mime: row.mime,
    size: Number(row.size),
    sha256: row.sha256,
    originalName: row.original_name,
    caption: row.caption,
    tags: row.tags,
    width: row.width,
    height: row.height,
    durationSeconds: row.duration_seconds,
    url: contentUrl(row.id),
    thumbnailUrl: variants.thumb ? variants.thumb.url : null,
    variants,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    canEdit: can(actor, assetRules.update, row),
  };
}
