import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { AppBlock } from '../distribution/contract.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export const siteKinds = ['portal', 'app', 'feed'] as const;
export type SiteKind = (typeof siteKinds)[number];

/** One story as it is live on one internal channel (see migration 0010). */
export interface SiteItemsTable {
  channel_id: string;
  item_id: string;
  kind: SiteKind;
  site_unit_id: string;
  site_unit_slug: string;
  unit_id: string;
  unit_name: string;
  unit_slug: string;
  item_type: string;
  title: string;
  summary: string;
  html: string | null;
  blocks: ColumnType<AppBlock[] | null, string | null, string | null>;
  body_text: string;
  cover_asset_id: string | null;
  cover_crop: string | null;
  ai_label: string | null;
  byline: string | null;
  source: string | null;
  category: string | null;
  region_code: string | null;
  tags: string[];
  special_item_ids: string[];
  link: string;
  canonical_url: string;
  origin_item_id: string | null;
  origin_unit_name: string | null;
  revision: number;
  correction_note: string | null;
  retracted: boolean;
  retraction_note: string | null;
  retracted_at: Timestamp | null;
  published_at: Timestamp;
  updated_at: Timestamp;
  idempotency_key: string;
}

export interface SiteMediaTable {
  asset_id: string;
  variant: string;
  mime: string;
  bytes: Buffer;
  etag: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** 门户编排: a unit's choices for its portal home (migration 0027); no row means an automatic home. */
export interface SiteCurationTable {
  unit_id: string;
  headline_item_id: string | null;
  topic_item_ids: ColumnType<string[], string[] | undefined, string[]>;
  section_order: ColumnType<string[], string[] | undefined, string[]>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PortalTables {
  site_items: SiteItemsTable;
  site_media: SiteMediaTable;
  site_curation: SiteCurationTable;
}

export type SiteItemRow = Selectable<SiteItemsTable>;
export type NewSiteItem = Insertable<SiteItemsTable>;
