import type { Selectable } from 'kysely';
import type { Actor } from '../../policies/index.ts';
import { can, item as itemRules } from '../../policies/index.ts';
import type { ItemDto, ItemSummaryDto } from './schema.ts';
import type { ContentItemRow, ContentWorkingCopiesTable } from './tables.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

type SummaryRow = Pick<
  ContentItemRow,
  | 'id'
  | 'unit_id'
  | 'type'
  | 'status'
  | 'title'
  | 'summary'
  | 'byline'
  | 'tags'
  | 'category'
  | 'region_code'
  | 'share_scope'
  | 'cover_asset_id'
  | 'ai_assisted'
  | 'adoption_count'
  | 'revision'
  | 'origin_unit_id'
  | 'origin_item_id'
  | 'credit_line'
  | 'created_at'
  | 'updated_at'
>;

/** Unit names come from one lookup per page, not one per row. */
export function presentItemSummary(row: SummaryRow, unitNames: Map<string, string>): ItemSummaryDto {
  return {
    id: row.id,
    unitId: row.unit_id,
    unitName: unitNames.get(row.unit_id) ?? '',
    type: row.type,
    status: row.status,
    title: row.title,
    summary: row.summary,
    byline: row.byline,
    tags: row.tags,
    category: row.category,
    regionCode: row.region_code,
    shareScope: row.share_scope,
    coverAssetId: row.cover_asset_id,
    aiAssisted: row.ai_assisted,
    adoptionCount: row.adoption_count,
    revision: row.revision,
    provenance:
      row.origin_unit_id && row.origin_item_id
        ? {
            originUnitId: row.origin_unit_id,
            originUnitName: unitNames.get(row.origin_unit_id) ?? '',
            originItemId: row.origin_item_id,
            creditLine: row.credit_line,
          }
        : null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function presentItem(
  row: ContentItemRow,
  actor: Actor,
  extra: {
    unitNames: Map<string, string>;
    adoptions: { adopted_by_unit_id: string; unit_name: string; copy_item_id: string; created_at: Date | string }[];
    specialItems?: { id: string; title: string; type: ContentItemRow['type'] }[];
  },
): ItemDto {
  return {
    ...presentItemSummary(row, extra.unitNames),
    subtitle: row.subtitle,
    body: row.body,
    bodyHtml: row.body_html,
    contributors: row.contributors,
    source: row.source,
    creditLine: row.credit_line,
    language: row.language,
    liveUrl: row.live_url,
    embargoUntil: row.embargo_until ? iso(row.embargo_until) : null,
    shareUnitIds: row.share_unit_ids,
    ...(extra.specialItems ? { specialItems: extra.specialItems } : {}),
    adoptions: extra.adoptions.map((p) => ({ unitId: p.adopted_by_unit_id, unitName: p.unit_name, copyItemId: p.copy_item_id, at: iso(p.created_at) })),
    understanding: row.understanding ?? null,
    canEdit: can(actor, itemRules.update, row),
    canShare: can(actor, itemRules.share, row),
  };
}

/** A person's working copy as the editor reads it; null when they have no unsaved edits. */
export function presentWorkingCopy(row: Selectable<ContentWorkingCopiesTable> | null) {
  return row && { baseRevision: row.base_revision, changes: row.changes, savedAt: iso(row.saved_at) };
}
