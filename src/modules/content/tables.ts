import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ContentDoc } from './doc.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const itemTypes = ['article', 'gallery', 'video', 'audio', 'live', 'special'] as const;
export type ItemType = (typeof itemTypes)[number];

export const itemStatuses = [
  'incoming',
  'draft',
  'submitted',
  'in_review',
  'signed_off',
  'scheduled',
  'published',
  'corrected',
  'retracted',
  'archived',
] as const;
export type ItemStatus = (typeof itemStatuses)[number];

/** 共享范围: own unit only; the parent chain; named units; the whole alliance. */
export const shareScopes = ['unit', 'parents', 'units', 'alliance'] as const;
export type ShareScope = (typeof shareScopes)[number];

export interface Contributor {
  name: string;
  role: string;
}

export interface ContentItemsTable {
  unit_id: string;
  id: Generated<string>;
  type: ItemType;
  status: Generated<ItemStatus>;
  title: string;
  subtitle: string | null;
  summary: string | null;
  body: Json<ContentDoc>;
  body_html: string;
  body_text: string;
  cover_asset_id: string | null;
  byline: string | null;
  contributors: Json<Contributor[]>;
  source: string | null;
  credit_line: string | null;
  tags: string[];
  category: string | null;
  region_code: string | null;
  language: Generated<string>;
  live_url: string | null;
  embargo_until: Timestamp | null;
  ai_assisted: Generated<boolean>;
  share_scope: Generated<ShareScope>;
  share_unit_ids: Generated<string[]>;
  origin_unit_id: string | null;
  origin_item_id: string | null;
  adoption_count: Generated<number>;
  revision: Generated<number>;
  understanding: Json<unknown> | null;
  understood_at: Timestamp | null;
  simhash: string | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContentSpecialMembersTable {
  unit_id: string;
  special_id: string;
  item_id: string;
  position: number;
}

export interface ContentRevisionsTable {
  unit_id: string;
  item_id: string;
  number: number;
  snapshot: Json<unknown>;
  body_text: string;
  note: string | null;
  author_id: string | null;
  created_at: Timestamp;
}

/**
 * One person's unsaved edits of an item (autosave): the fields that differ from revision `base_revision`.
 * Not a revision: nobody else sees it, and review, sign-off and publication never read it. A save with
 * intent turns it into the next numbered revision and deletes it.
 */
export interface ContentWorkingCopiesTable {
  unit_id: string;
  item_id: string;
  author_id: string;
  base_revision: number;
  changes: Json<Record<string, unknown>>;
  saved_at: Timestamp;
}

/** 上报 / 下发: which way a relay went, up the tree or down it. */
export const relayDirections = ['up', 'down'] as const;
export type RelayDirection = (typeof relayDirections)[number];

export interface ContentRelaysTable {
  unit_id: string;
  id: Generated<string>;
  direction: RelayDirection;
  item_id: string;
  from_unit_id: string;
  note: string | null;
  sent_by: string | null;
  created_at: Timestamp;
  adopted_item_id: string | null;
  /** The item's revision that was sent; null on rows from before migration 0025. */
  revision: number | null;
}

export interface ContentAdoptionsTable {
  unit_id: string;
  item_id: string;
  adopted_by_unit_id: string;
  copy_item_id: string;
  adopted_by: string | null;
  created_at: Timestamp;
}

/** The full-text index of an item (see search/index-text.ts) and a mirror of its filter columns; one row per item. */
export interface ContentSearchTable {
  unit_id: string;
  /** The item's id (named as in content_items, so the hub's tenancy filter reads this row as written). */
  id: string;
  type: ItemType;
  status: ItemStatus;
  category: string | null;
  region_code: string | null;
  share_scope: ShareScope;
  share_unit_ids: string[];
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  tsv: Generated<string>;
  rank_title: Generated<string>;
  rank_lead: Generated<string>;
  rank_body: Generated<string>;
}

/** 保存的检索: a person's named search. */
export interface SavedSearchesTable {
  unit_id: string;
  id: Generated<string>;
  user_id: string;
  name: string;
  query: Json<unknown>;
  created_at: Generated<Date>;
}

export interface ContentTables {
  content_items: ContentItemsTable;
  content_search: ContentSearchTable;
  saved_searches: SavedSearchesTable;
  content_special_members: ContentSpecialMembersTable;
  content_revisions: ContentRevisionsTable;
  content_working_copies: ContentWorkingCopiesTable;
  content_relays: ContentRelaysTable;
  content_adoptions: ContentAdoptionsTable;
}

export type ContentItemRow = Selectable<ContentItemsTable>;
