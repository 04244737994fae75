import { type Insertable, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { itemEmbargo, selectItems } from '../content/queries.ts';
import type { DistributionDeliveriesTable, DeliveryRow, DeliveryStatus } from './tables.ts';

/** Every SQL statement of the outbox: writing rows at publish time, leasing them to workers, settling them. */

export function insertDeliveries(db: Db, rows: Insertable<DistributionDeliveriesTable>[]) {
  if (!rows.length) return Promise.resolve([]);
  return db
    .insertInto('distribution_deliveries')
    .values(rows)
    .onConflict((oc) => oc.columns(['channel_id', 'item_id', 'action', 'revision', 'epoch']).doNothing())
    .returningAll()
    .execute();
}

export function itemDeliveries(db: Db, itemId: string) {
  return db.selectFrom('distribution_deliveries').selectAll().where('item_id', '=', itemId).orderBy('seq').execute();
}

export function findDelivery(db: Db, id: string) {
  return db.selectFrom('distribution_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Rows not yet handed to any channel are withdrawn (a newer revision or a retraction overtook them). */
export function skipQueued(db: Db, itemId: string, channelId: string, epoch: number, note: string) {
  return db
    .updateTable('distribution_deliveries')
    .set({ status: 'skipped', failure: 'skipped', note, needs_reconcile: false, updated_at: new Date() })
    .where('item_id', '=', itemId)
    .where('channel_id', '=', channelId)
    .where('epoch', '=', epoch)
    .where('status', '=', 'queued')
    .where('attempts', '=', 0)
    .returning(['id', 'action'])
    .execute();
}

/** A delivery left in `sending` past its lease belongs to a worker that died: its outcome is unknown. */
export async function expireLeases(db: Db) {
  const rows = await db
    .updateTable('distribution_deliveries')
    .set({
      status: 'unknown',
      needs_reconcile: true,
      lease_until: null,
      last_error: '投递中断（工作进程未完成），发送前先核对渠道 / delivery interrupted (worker lost); reconciling before any retry',
      updated_at: new Date(),
    })
    .where('status', '=', 'sending')
    .where('lease_until', '<', sql<Date>`clock_timestamp()`)
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Leases up to `limit` due rows to this worker (status sending, attempts + 1). A row waits while the
 * item is under embargo, while its channel is disabled, and while an earlier row for the same channel
 * and item is unsettled (a retraction never overtakes its publication). `skip locked` lets any number
 * of workers, in any process, claim side by side.
 */
export async function claim(db: Db, limit: number, leaseMs: number): Promise<DeliveryRow[]> {
  const { rows } = await sql<DeliveryRow>`
    update distribution_deliveries d
       set status = 'sending', attempts = d.attempts + 1,
           lease_until = clock_timestamp() + ${leaseMs} * interval '1 millisecond', updated_at = clock_timestamp()
     where d.id in (
       select q.id from distribution_deliveries q
         join channels c on c.id = q.channel_id
        where q.status in ('queued', 'unknown')
          and q.next_attempt_at <= clock_timestamp()
          and coalesce(${itemEmbargo('q.item_id')} <= clock_timestamp(), true)
          and c.enabled
          and not exists (
            select 1 from distribution_deliveries p
             where p.channel_id = q.channel_id and p.item_id = q.item_id and p.seq < q.seq
               and p.status in ('queued', 'sending', 'unknown'))
        order by q.next_attempt_at, q.seq
        limit ${limit}
        for update of q skip locked)
    returning d.*`.execute(db);
  return rows;
}

/** Lengthens a held lease (an adapter with a longer deadline than the default, e.g. a video upload); only the holder may. */
export async function extendLease(db: Db, row: Pick<DeliveryRow, 'id' | 'attempts'>, leaseMs: number): Promise<boolean> {
  const res = await sql`
    update distribution_deliveries set lease_until = clock_timestamp() + ${leaseMs} * interval '1 millisecond'
     where id = ${row.id} and status = 'sending' and attempts = ${row.attempts}`.execute(db);
  return Number(res.numAffectedRows ?? 0) === 1;
}

/**
 * Settles a leased row. Only the lease holder may (same status and attempt count), so a worker that
 * comes back after its lease expired cannot overwrite what the reconciling worker decided.
 */
export async function settle(
  db: Db,
  row: Pick<DeliveryRow, 'id' | 'attempts'>,
  change: {
    status: DeliveryStatus;
    attempts?: number;
    nextAttemptAt?: Date;
    needsReconcile?: boolean;
    remoteId?: string | null;
    remoteUrl?: string | null;
    lastError?: string | null;
    failure?: DeliveryRow['failure'];
    note?: string | null;
  },
) {
  const res = await db
    .updateTable('distribution_deliveries')
    .set({
      status: change.status,
      lease_until: null,
      updated_at: new Date(),
      ...(change.attempts !== undefined ? { attempts: change.attempts } : {}),
      ...(change.nextAttemptAt ? { next_attempt_at: change.nextAttemptAt } : {}),
      ...(change.needsReconcile !== undefined ? { needs_reconcile: change.needsReconcile } : {}),
      ...(change.remoteId !== undefined ? { remote_id: change.remoteId } : {}),
      ...(change.remoteUrl !== undefined ? { remote_url: change.remoteUrl } : {}),
      ...(change.lastError !== undefined ? { last_error: change.lastError } : {}),
      ...(change.failure !== undefined ? { failure: change.failure } : {}),
      ...(change.note !== undefined ? { note: change.note } : {}),
      ...(change.status === 'delivered' ? { delivered_at: new Date() } : {}),
    })
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** What the channel holds for this item now: the latest delivered publish or update of the epoch. */
export function lastDelivered(db: Db, row: Pick<DeliveryRow, 'channel_id' | 'item_id' | 'epoch' | 'seq'>) {
  return db
    .selectFrom('distribution_deliveries')
    .selectAll()
    .where('channel_id', '=', row.channel_id)
    .where('item_id', '=', row.item_id)
    .where('epoch', '=', row.epoch)
    .where('seq', '<', row.seq)
    .where('status', '=', 'delivered')
    .where('action', 'in', ['publish', 'update'])
    .orderBy('seq', 'desc')
    .executeTakeFirst();
}

/** When the next row falls due, so the worker can wake up for it. */
export async function nextDue(db: Db): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`
    select min(greatest(d.next_attempt_at, coalesce(${itemEmbargo('d.item_id')}, d.next_attempt_at))) as at
      from distribution_deliveries d
      join channels c on c.id = d.channel_id
     where d.status in ('queued', 'unknown') and c.enabled`.execute(db);
  return rows[0]?.at ? new Date(rows[0].at) : null;
}

export function requeue(db: Db, id: string) {
  return db
    .updateTable('distribution_deliveries')
    .set({ status: 'queued', attempts: 0, next_attempt_at: new Date(), last_error: null, failure: null, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returningAll()
    .executeTakeFirst();
}

/** The item's chosen channels. */
export function selection(db: Db, itemId: string) {
  return db.selectFrom('publication_channels').select('channel_id').where('item_id', '=', itemId).execute();
}

export async function replaceSelection(db: Db, unitId: string, itemId: string, channelIds: string[], userId: string) {
  await db.deleteFrom('publication_channels').where('item_id', '=', itemId).execute();
  if (channelIds.length) {
    await db
      .insertInto('publication_channels')
      .values(channelIds.map((channel_id) => ({ unit_id: unitId, item_id: itemId, channel_id, chosen_by: userId })))
      .execute();
  }
}

/**
 * The unit's failed deliveries that still matter: none delivered since to the same channel for the same item
 * (a later revision that went out, or the row retried), newest first, with the total.
 */
export async function standingFailures(db: Db, unitId: string, limit: number) {
  const rows = await selectItems(db)
    .innerJoin('distribution_deliveries as d', 'd.item_id', 'i.id')
    .innerJoin('channels as c', 'c.id', 'd.channel_id')
    .select(['d.id', 'd.item_id', 'i.title', 'c.name as channel_name', 'd.last_error', 'd.updated_at', sql<string>`count(*) over ()`.as('total')])
    .where('d.unit_id', '=', unitId)
    .where('d.status', '=', 'failed')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('distribution_deliveries as later')
            .select('later.id')
            .whereRef('later.item_id', '=', 'd.item_id')
            .whereRef('later.channel_id', '=', 'd.channel_id')
            .whereRef('later.seq', '>', 'd.seq')
            .where('later.status', '=', 'delivered'),
        ),
      ),
    )
    .orderBy('d.updated_at', 'desc')
    .limit(limit)
    .execute();
  return { total: Number(rows[0]?.total ?? 0), rows };
}
