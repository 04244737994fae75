import { type SqlBool, sql } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';
import type { Actor } from '../../../policies/index.ts';
import { visibleTo } from '../repo.ts';
import type { AssetKind, AssetsTable, Variant } from './assets.tables.ts';

/** Every SQL statement of the asset library (媒资库). */

const assetColumns = [
  'a.unit_id',
  'a.id',
  'a.kind',
  'a.mime',
  'a.size',
  'a.sha256',
  'a.original_name',
  'a.caption',
  'a.tags',
  'a.width',
  'a.height',
  'a.duration_seconds',
  'a.storage_key',
  'a.variants',
  'a.created_by',
  'a.created_at',
  'a.updated_at',
] as const;

/** An asset with its unit's name and place in the tree, as every read needs them. */
function selectAssets(db: Db) {
  return db
    .selectFrom('assets as a')
    .innerJoin('units as u', 'u.id', 'a.unit_id')
    .leftJoin('users as c', 'c.id', 'a.created_by')
    .select([...assetColumns, 'u.name as unit_name', 'u.path as unit_path', 'c.display_name as created_by_name']);
}

export type AssetWithUnit = NonNullable<Awaited<ReturnType<typeof findAsset>>>;

export function findAsset(db: Db, id: string) {
  return selectAssets(db).where('a.id', '=', id).executeTakeFirst();
}

export function findAssetBySha(db: Db, unitId: string, sha256: string) {
  return selectAssets(db).where('a.unit_id', '=', unitId).where('a.sha256', '=', sha256).executeTakeFirst();
}

export interface NewAsset {
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
  variants: Record<string, Variant>;
  created_by: string;
}

/** Inserts unless the unit already holds these bytes; returns nothing when it does (a concurrent twin won). */
export async function insertAsset(db: Db, a: NewAsset): Promise<boolean> {
  const row = await db
    .insertInto('assets')
    .values({ ...a, variants: JSON.stringify(a.variants), updated_at: new Date() })
    .onConflict((oc) => oc.columns(['unit_id', 'sha256']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Locks the row for a read-modify-write (edit, delete). */
export function lockAsset(db: Db, id: string) {
  return db.selectFrom('assets').select(['id', 'unit_id']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateAsset(db: Db, id: string, fields: Partial<Pick<AssetsTable, 'caption' | 'tags'>>) {
  return db.updateTable('assets').set({ ...fields, updated_at: new Date() }).where('id', '=', id).execute();
}

export function deleteAsset(db: Db, id: string) {
  return db.deleteFrom('assets').where('id', '=', id).execute();
}

/**
 * Items the actor can see that use the asset and may lend it their visibility: the asset's own
 * unit's items, and copies adopted from that unit (采用). An item another unit wrote merely naming
 * the id lends nothing, so knowing an id is never enough to read someone's picture.
 */
export function visibleItemsUsing(db: Db, actor: Actor, asset: { id: string; unit_id: string }, limit: number) {
  return db
    .selectFrom('content_items as i')
    .select(['i.id', 'i.title', 'i.unit_id', 'i.type', 'i.status'])
    .where('i.id', 'in', db.selectFrom('asset_usages').select('item_id').where('asset_id', '=', asset.id))
    .where((eb) => eb.or([eb('i.unit_id', '=', asset.unit_id), eb('i.origin_unit_id', '=', asset.unit_id)]))
    .where(visibleTo(actor))
    .orderBy('i.updated_at', 'desc')
    .limit(limit)
    .execute();
}

/** Whether one item's latest save refers to the asset. */
export async function itemUsesAsset(db: Db, unitId: string, itemId: string, assetId: string): Promise<boolean> {
  const row = await db
    .selectFrom('asset_usages')
    .select('asset_id')
    .where('unit_id', '=', unitId)
    .where('item_id', '=', itemId)
    .where('asset_id', '=', assetId)
    .executeTakeFirst();
  return !!row;
}

/** Every use anywhere, visible or not: what the delete guard must know. */
export async function countUsages(db: Db, assetId: string): Promise<number> {
  const row = await db
    .selectFrom('asset_usages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('asset_id', '=', assetId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Keeps an item's asset usages equal to what its latest save references; runs in the save's transaction. */
export async function replaceUsages(db: Db, unitId: string, itemId: string, assetIds: string[]) {
  await db.deleteFrom('asset_usages').where('unit_id', '=', unitId).where('item_id', '=', itemId).execute();
  const uuids = assetIds.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  if (uuids.length) {
    await db
      .insertInto('asset_usages')
      .values(uuids.map((asset_id) => ({ unit_id: unitId, item_id: itemId, asset_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export interface AssetSearch {
  /** The units searched: one unit, or a unit and everything under it. */
  unit: { id: string; path: string; subtree: boolean };
  q?: string;
  tag?: string;
  kind?: AssetKind;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * 媒资检索: caption and file name by substring (ILIKE, served by the pg_trgm indexes once the
 * text is long enough), tag by array containment (GIN), newest first.
 */
export function searchAssets(db: Db, s: AssetSearch) {
  let q = selectAssets(db);
  q = s.unit.subtree
    ? q.where((eb) => eb.or([eb('a.unit_id', '=', s.unit.id), eb('u.path', 'like', `${s.unit.path}/%`)]))
    : q.where('a.unit_id', '=', s.unit.id);
  if (s.q) {
    const pattern = likePattern(s.q);
    q = q.where((eb) => eb.or([eb('a.caption', 'ilike', pattern), eb('a.original_name', 'ilike', pattern)]));
  }
  if (s.tag) q = q.where(sql<SqlBool>`a.tags @> array[${s.tag}]::text[]`);
  if (s.kind) q = q.where('a.kind', '=', s.kind);
  if (s.from) q = q.where('a.created_at', '>=', s.from);
  if (s.to) q = q.where('a.created_at', '<', s.to);
  return q.orderBy('a.created_at', 'desc').orderBy('a.id').limit(s.limit).offset(s.offset).execute();
}

export function findUnit(db: Db, id: string) {
  return db.selectFrom('units').select(['id', 'path']).where('id', '=', id).executeTakeFirst();
}

