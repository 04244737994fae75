import { type ExpressionBuilder, type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/tables.ts';
import type { Actor } from '../../policies/index.ts';
import { oversees, POOL_STATUSES, seesEverything } from '../../policies/index.ts';
import type { ContentItemsTable, ItemStatus, ItemType, RelayDirection, ShareScope } from './tables.ts';

/** Every SQL statement of the content hub. */

type ItemExpressions = ExpressionBuilder<Database & { i: ContentItemsTable }, 'i'>;

/** Where an item's unit sits in the tree, for the filter below: by default looked up per row in units. */
const unitPathLookup = (eb: ItemExpressions) => eb.selectFrom('units as vu').select('vu.path').whereRef('vu.id', '=', 'i.unit_id');
export type UnitPathOf = (eb: ItemExpressions) => ReturnType<typeof unitPathLookup> | RawBuilder<string>;

/**
 * The tenancy filter for items as SQL, mirroring policy.ts: own unit; subtree for overseers; shared
 * by scope; or relayed to the caller's unit. Items still in the incoming queue stay private.
 * The cheap tests come first, as PostgreSQL evaluates OR arms in order: an overseer's own subtree
 * settles most rows before the per-row lookups of the sharing rules run.
 */
export function visibleTo(actor: Actor, unitPathOf: UnitPathOf = unitPathLookup) {
  return (eb: ItemExpressions): Expression<SqlBool> => {
    if (seesEverything(actor)) return sql<SqlBool>`true`;
    const unitPath = unitPathOf(eb);
    const shared = eb.and([
      eb('i.status', '<>', 'incoming'),
      eb.or([
        eb('i.share_scope', '=', 'alliance'),
        eb.and([eb('i.share_scope', '=', 'units'), sql<SqlBool>`${actor.unitId}::uuid = any(i.share_unit_ids)`]),
        eb.and([eb('i.share_scope', '=', 'parents'), eb(unitPath, 'like', `%${actor.unitId}/%`)]),
        eb.exists(
          eb
            .selectFrom('content_relays as d')
            .select('d.id')
            .whereRef('d.item_id', '=', 'i.id')
            .where('d.unit_id', '=', actor.unitId),
        ),
      ]),
    ]);
    const own = eb('i.unit_id', '=', actor.unitId);
    if (!oversees(actor)) return eb.or([own, shared]);
    return eb.or([own, eb(unitPath, 'like', `${actor.unitPath}/%`), shared]);
  };
}

export type NewItem = Omit<
  import('kysely').Insertable<ContentItemsTable>,
  'body' | 'contributors'
> & { body: unknown; contributors: unknown };

export function insertItem(db: Db, item: NewItem) {
  return db
    .insertInto('content_items')
    .values({ ...item, body: JSON.stringify(item.body), contributors: JSON.stringify(item.contributors) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateItem(db: Db, id: string, fields: Partial<NewItem>) {
  const { body, contributors, ...rest } = fields;
  return db
    .updateTable('content_items')
    .set({
      ...rest,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(contributors === undefined ? {} : { contributors: JSON.stringify(contributors) }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes only the status: a workflow move is not an edit, so no revision and no updated_at bump. */
export function setItemStatus(db: Db, id: string, status: ItemStatus) {
  return db.updateTable('content_items').set({ status }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function findItem(db: Db, id: string) {
  return db.selectFrom('content_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findVisibleItem(db: Db, actor: Actor, id: string) {
  return db.selectFrom('content_items as i').selectAll('i').where('i.id', '=', id).where(visibleTo(actor)).executeTakeFirst();
}

/** Locks the row for a read-modify-write, so two saves of one item queue instead of interleaving. */
export function lockItem(db: Db, id: string) {
  return db.selectFrom('content_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface ItemListFilter {
  view: 'unit' | 'shared' | 'incoming';
  status?: ItemStatus;
  type?: ItemType;
  category?: string;
  scope?: ShareScope;
  limit: number;
  offset: number;
}

/** The columns of an item card, shared by the hub list and search results. */
export const itemSummaryColumns = [
  'i.unit_id',
  'i.id',
  'i.type',
  'i.status',
  'i.title',
  'i.summary',
  'i.byline',
  'i.tags',
  'i.category',
  'i.region_code',
  'i.share_scope',
  'i.cover_asset_id',
  'i.origin_unit_id',
  'i.origin_item_id',
  'i.credit_line',
  'i.adoption_count',
  'i.revision',
  'i.ai_assisted',
  'i.created_at',
  'i.updated_at',
] as const;

export function listItems(db: Db, actor: Actor, f: ItemListFilter) {
  let q = db
    .selectFrom('content_items as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .select([...itemSummaryColumns, 'u.name as unit_name']);
  if (f.view === 'unit') q = q.where('i.unit_id', '=', actor.unitId).where('i.status', '<>', 'incoming');
  if (f.view === 'incoming') q = q.where('i.unit_id', '=', actor.unitId).where('i.status', '=', 'incoming');
  if (f.view === 'shared') {
    q = q.where('i.unit_id', '<>', actor.unitId).where('i.share_scope', '<>', 'unit').where('i.status', 'in', POOL_STATUSES).where(visibleTo(actor));
  }
  if (f.status) q = q.where('i.status', '=', f.status);
  if (f.type) q = q.where('i.type', '=', f.type);
  if (f.category) q = q.where('i.category', '=', f.category);
  if (f.scope) q = q.where('i.share_scope', '=', f.scope);
  return q.orderBy('i.updated_at', 'desc').limit(f.limit).offset(f.offset).execute();
}

export function insertRevision(
  db: Db,
  r: { unitId: string; itemId: string; number: number; snapshot: unknown; bodyText: string; note: string | null; authorId: string | null },
) {
  return db
    .insertInto('content_revisions')
    .values({
      unit_id: r.unitId,
      item_id: r.itemId,
      number: r.number,
      snapshot: JSON.stringify(r.snapshot),
      body_text: r.bodyText,
      note: r.note,
      author_id: r.authorId,
    })
    .execute();
}

export function listRevisions(db: Db, itemId: string) {
  return db
    .selectFrom('content_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.author_id')
    .select(['r.number', 'r.note', 'r.author_id', 'u.display_name as author_name', 'r.created_at'])
    .where('r.item_id', '=', itemId)
    .orderBy('r.number', 'desc')
    .execute();
}

export function findRevision(db: Db, itemId: string, number: number) {
  return db
    .selectFrom('content_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.author_id')
    .select(['r.number', 'r.note', 'r.author_id', 'u.display_name as author_name', 'r.created_at', 'r.snapshot', 'r.body_text'])
    .where('r.item_id', '=', itemId)
    .where('r.number', '=', number)
    .executeTakeFirst();
}

/** A person's working copy of an item (autosave): one row per item and person, replaced by each autosave. */
export function upsertWorkingCopy(db: Db, w: { unitId: string; itemId: string; authorId: string; baseRevision: number; changes: Record<string, unknown> }) {
  const values = { base_revision: w.baseRevision, changes: JSON.stringify(w.changes), saved_at: new Date() };
  return db
    .insertInto('content_working_copies')
    .values({ unit_id: w.unitId, item_id: w.itemId, author_id: w.authorId, ...values })
    .onConflict((oc) => oc.columns(['unit_id', 'item_id', 'author_id']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findWorkingCopy(db: Db, unitId: string, itemId: string, authorId: string) {
  return db
    .selectFrom('content_working_copies')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('item_id', '=', itemId)
    .where('author_id', '=', authorId)
    .executeTakeFirst();
}

export function deleteWorkingCopy(db: Db, unitId: string, itemId: string, authorId: string) {
  return db.deleteFrom('content_working_copies').where('unit_id', '=', unitId).where('item_id', '=', itemId).where('author_id', '=', authorId).execute();
}

export function insertRelay(
  db: Db,
  d: { toUnitId: string; direction: RelayDirection; itemId: string; revision: number; fromUnitId: string; note: string | null; sentBy: string },
) {
  return db
    .insertInto('content_relays')
    .values({ unit_id: d.toUnitId, direction: d.direction, item_id: d.itemId, revision: d.revision, from_unit_id: d.fromUnitId, note: d.note, sent_by: d.sentBy })
    .onConflict((oc) => oc.columns(['unit_id', 'item_id', 'direction', 'revision']).where('revision', 'is not', null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** What was relayed to a unit, newest first; with itemId, only the relays of that item (its page shows their notes). */
export function listRelaysTo(db: Db, unitId: string, limit: number, itemId?: string) {
  let q = db
    .selectFrom('content_relays as d')
    .innerJoin('content_items as i', 'i.id', 'd.item_id')
    .innerJoin('units as fu', 'fu.id', 'd.from_unit_id')
    .leftJoin('users as s', 's.id', 'd.sent_by')
    .select([
      'd.id',
      'd.direction',
      'd.item_id',
      'd.note',
      'd.created_at',
      'd.adopted_item_id',
      'd.revision',
      'd.from_unit_id',
      'fu.name as from_unit_name',
      's.display_name as sent_by_name',
      'i.title',
      'i.type',
    ])
    .where('d.unit_id', '=', unitId);
  if (itemId) q = q.where('d.item_id', '=', itemId);
  return q.orderBy('d.created_at', 'desc').limit(limit).execute();
}

export function markRelaysAdopted(db: Db, unitId: string, itemId: string, copyId: string) {
  return db
    .updateTable('content_relays')
    .set({ adopted_item_id: copyId })
    .where('unit_id', '=', unitId)
    .where('item_id', '=', itemId)
    .execute();
}

export function findAdoption(db: Db, originUnitId: string, itemId: string, adoptedByUnitId: string) {
  return db
    .selectFrom('content_adoptions')
    .selectAll()
    .where('unit_id', '=', originUnitId)
    .where('item_id', '=', itemId)
    .where('adopted_by_unit_id', '=', adoptedByUnitId)
    .executeTakeFirst();
}

export async function recordAdoption(
  db: Db,
  p: { originUnitId: string; itemId: string; adoptedByUnitId: string; copyItemId: string; adoptedBy: string },
) {
  await db
    .insertInto('content_adoptions')
    .values({ unit_id: p.originUnitId, item_id: p.itemId, adopted_by_unit_id: p.adoptedByUnitId, copy_item_id: p.copyItemId, adopted_by: p.adoptedBy })
    .execute();
  await db
    .updateTable('content_items')
    .set((eb) => ({ adoption_count: eb('adoption_count', '+', 1) }))
    .where('id', '=', p.itemId)
    .execute();
}

export function adoptionsOf(db: Db, itemId: string) {
  return db
    .selectFrom('content_adoptions as p')
    .innerJoin('units as u', 'u.id', 'p.adopted_by_unit_id')
    .select(['p.adopted_by_unit_id', 'u.name as unit_name', 'p.copy_item_id', 'p.created_at'])
    .where('p.item_id', '=', itemId)
    .orderBy('p.created_at')
    .execute();
}

/** Replaces a special topic's members; runs inside the caller's save transaction. */
export async function setSpecialMembers(db: Db, unitId: string, specialId: string, itemIds: string[]) {
  await db.deleteFrom('content_special_members').where('special_id', '=', specialId).execute();
  if (itemIds.length) {
    await db
      .insertInto('content_special_members')
      .values(itemIds.map((item_id, position) => ({ unit_id: unitId, special_id: specialId, item_id, position })))
      .execute();
  }
}

export function specialMembers(db: Db, actor: Actor, specialId: string) {
  return db
    .selectFrom('content_special_members as m')
    .innerJoin('content_items as i', 'i.id', 'm.item_id')
    .select(['i.id', 'i.title', 'i.type', 'i.unit_id', 'm.position'])
    .where('m.special_id', '=', specialId)
    .where(visibleTo(actor))
    .orderBy('m.position')
    .execute();
}

export function unitNames(db: Db, ids: readonly string[]) {
  if (!ids.length) return Promise.resolve(new Map<string, string>());
  return db
    .selectFrom('units')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .execute()
    .then((rows) => new Map(rows.map((r) => [r.id, r.name])));
}
