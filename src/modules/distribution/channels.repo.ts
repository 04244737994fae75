import { type Insertable, type Updateable, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { ChannelsTable } from './tables.ts';

/** Every SQL statement about channels and their rate buckets. */

export function listChannels(db: Db, unitId: string, filter: { enabled?: boolean } = {}) {
  let q = db.selectFrom('channels').selectAll().where('unit_id', '=', unitId);
  if (filter.enabled !== undefined) q = q.where('enabled', '=', filter.enabled);
  return q.orderBy('created_at').orderBy('name').execute();
}

export function findChannel(db: Db, id: string) {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findChannels(db: Db, unitId: string, ids: readonly string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('channels').selectAll().where('unit_id', '=', unitId).where('id', 'in', ids).execute();
}

export function insertChannel(db: Db, values: Insertable<ChannelsTable>) {
  return db.insertInto('channels').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateChannel(db: Db, id: string, change: Updateable<ChannelsTable>) {
  return db.updateTable('channels').set(change).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function deleteChannel(db: Db, id: string) {
  return db.deleteFrom('channels').where('id', '=', id).execute();
}

export async function hasDeliveries(db: Db, channelId: string) {
  const row = await db.selectFrom('distribution_deliveries').select('id').where('channel_id', '=', channelId).limit(1).executeTakeFirst();
  return Boolean(row);
}

/**
 * Takes one token from the channel's bucket (capacity `burst`, refilled at `perMinute`), atomically
 * (the row is locked while it is read and written) so workers in every process share one bucket.
 * Returns 0 when a token was taken, else the milliseconds until one will be there.
 */
export async function takeToken(db: Db, channelId: string, perMinute: number, burst: number): Promise<number> {
  const perSecond = perMinute / 60;
  await db.insertInto('channel_rate_buckets').values({ channel_id: channelId, tokens: burst }).onConflict((oc) => oc.doNothing()).execute();
  const { rows } = await sql<{ avail: number }>`
    with b as (
      select least(${burst}::float8, tokens + extract(epoch from (clock_timestamp() - refilled_at)) * ${perSecond}::float8) as avail
      from channel_rate_buckets where channel_id = ${channelId} for update
    )
    update channel_rate_buckets c
       set tokens = case when b.avail >= 1 then b.avail - 1 else b.avail end, refilled_at = clock_timestamp()
      from b where c.channel_id = ${channelId}
    returning b.avail`.execute(db);
  const avail = Number(rows[0]?.avail ?? 0);
  return avail >= 1 ? 0 : Math.ceil(((1 - avail) / perSecond) * 1000);
}
