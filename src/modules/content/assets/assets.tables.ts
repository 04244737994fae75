import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const assetKinds = ['image', 'video', 'audio', 'document'] as const;
export type AssetKind = (typeof assetKinds)[number];

/** One stored derivative of an image (缩略图、裁切图): where its bytes live and what they are. */
export interface Variant {
  key: string;
  width: number;
  height: number;
  size: number;
  mime: string;
}

/** 媒资: one uploaded file owned by a unit, with its checksum and, for images, its variants. */
export interface AssetsTable {
  unit_id: string;
  id: string;
  kind: AssetKind;
  mime: string;
  size: number;
  sha256: string;
  original_name: string;
  caption: string | null;
  tags: string[];
  width: number | null;
  height: number | null;
  duration_seconds: number | null;
  storage_key: string;
  variants: Json<Record<string, Variant>>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

/** Which item uses which asset (正文图片 or 封面), kept in step with every save of the item. */
export interface AssetUsagesTable {
  unit_id: string;
  item_id: string;
  asset_id: string;
}

export interface AssetTables {
  assets: AssetsTable;
  asset_usages: AssetUsagesTable;
}

export type AssetRow = Selectable<AssetsTable>;
