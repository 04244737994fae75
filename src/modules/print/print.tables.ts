import type { ColumnType, Generated, Selectable } from 'kysely';
import type { PrintStory } from '../distribution/contract.ts';
import type { StoryReport } from './layout/layout.ts';
import type { PrintFormat } from './layout/page-spec.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** 稿池: a story delivered to the unit's print channel, waiting for an edition. */
export interface PrintPoolTable {
  unit_id: string;
  id: Generated<string>;
  channel_id: string | null;
  item_id: string | null;
  revision: number | null;
  idempotency_key: string;
  title: string;
  story: Json<PrintStory>;
  cover_asset_id: string | null;
  delivered_at: Generated<Date>;
  updated_at: Timestamp;
}

/** Which story stands where on a page, as chosen (the lead first). */
export interface PageStoryRef {
  source: 'pool' | 'item';
  id: string;
  itemId: string | null;
  title: string;
}

/** A retraction that reached a story already laid out: the page must be changed before it prints. */
export interface PageFlag {
  storyId: string;
  itemId: string | null;
  title: string;
  reason: 'retracted';
  at: string;
}

/** 版面: one laid-out page (and its jump pages) with the PDF it produced. */
export interface PrintPagesTable {
  unit_id: string;
  id: Generated<string>;
  name: string;
  format: PrintFormat;
  edition_date: ColumnType<string, string, string>;
  stories: Json<PageStoryRef[]>;
  report: Json<StoryReport[]>;
  flags: ColumnType<PageFlag[], string | undefined, string>;
  page_count: number;
  pdf: Buffer;
  pdf_bytes: number;
  render_ms: number;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface PrintTables {
  print_pool: PrintPoolTable;
  print_pages: PrintPagesTable;
}

export type PoolRow = Selectable<PrintPoolTable>;
export type PageRow = Selectable<PrintPagesTable>;
export type PageSummary = Omit<PageRow, 'pdf'>;
