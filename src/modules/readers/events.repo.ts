import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { partitionBounds } from './partitions.ts';
import type { EventType } from './tables.ts';

/** Every SQL statement about reading events. */

export interface EventRow {
  occurredAt: Date;
  eventId: string;
  type: EventType;
  readerId: string | null;
  deviceId: string | null;
  unitId: string | null;
  itemId: string | null;
  depth: number | null;
  dwellMs: number | null;
  target: string | null;
  divisionCode: string | null;
}

/**
 * One statement for the whole batch: the rows travel as one JSON parameter that json_to_recordset turns
 * back into rows, so thousands of events cost one round trip and one plan, whatever the driver (measured
 * on PGlite: faster than eleven unnest() arrays, which are as fast on PostgreSQL). Rows go in device
 * order, so the dedupe index is walked in order instead of at random. A retried event (same device, id
 * and time) is dropped by the unique index.
 */
export async function insertEvents(db: Db, rows: EventRow[]): Promise<number> {
  if (!rows.length) return 0;
  const ordered = [...rows].sort((a, b) => (a.deviceId ?? '').localeCompare(b.deviceId ?? '') || a.eventId.localeCompare(b.eventId));
  const json = JSON.stringify(
    ordered.map((r) => ({
      occurred_at: r.occurredAt.toISOString(),
      event_id: r.eventId,
      type: r.type,
      reader_id: r.readerId,
      device_id: r.deviceId,
      unit_id: r.unitId,
      item_id: r.itemId,
      depth: r.depth,
      dwell_ms: r.dwellMs,
      target: r.target,
      division_code: r.divisionCode,
    })),
  );
  const result = await sql`
    insert into reader_events (occurred_at, event_id, type, reader_id, device_id, unit_id, item_id, depth, dwell_ms, target, division_code)
    select * from json_to_recordset(${json}::json) as x(occurred_at timestamptz, event_id text, type text, reader_id uuid, device_id text,
      unit_id uuid, item_id uuid, depth real, dwell_ms int, target text, division_code text)
    on conflict do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The one-row-per-event way, kept for the ingest benchmark's baseline. */
export async function insertEventOneByOne(db: Db, r: EventRow) {
  await db
    .insertInto('reader_events')
    .values({
      occurred_at: r.occurredAt,
      event_id: r.eventId,
      type: r.type,
      reader_id: r.readerId,
      device_id: r.deviceId,
      unit_id: r.unitId,
      item_id: r.itemId,
      depth: r.depth,
      dwell_ms: r.dwellMs,
      target: r.target,
      division_code: r.divisionCode,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function existingPartitions(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'reader_events'::regclass`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * Creates the day's partition if it is missing. Several processes may race for the same day; the
 * advisory lock lets one create it and the others find it there.
 */
export async function createPartition(db: Db, day: Date) {
  const b = partitionBounds(day);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('reader_events_partitions'))`.execute(trx);
    await sql`create table if not exists ${sql.table(b.name)} partition of reader_events for values from (${sql.lit(b.from)}) to (${sql.lit(b.to)})`.execute(trx);
  });
  return b.name;
}

/** At login: the device's anonymous past becomes the reader's. */
export async function attributeDeviceEvents(db: Db, deviceId: string, readerId: string) {
  const res = await db.updateTable('reader_events').set({ reader_id: readerId }).where('device_id', '=', deviceId).where('reader_id', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Erasure: the reader's events stay for aggregate statistics and co-reading, but under a fresh random id
 * that leads nowhere, without the device id or home division that could lead back.
 */
export async function anonymiseEvents(db: Db, readerId: string, deviceIds: string[], replacementId: string) {
  const res = await db
    .updateTable('reader_events')
    .set({ reader_id: replacementId, device_id: null, division_code: null })
    .where((eb) => eb.or([eb('reader_id', '=', readerId), ...(deviceIds.length ? [eb('device_id', 'in', deviceIds)] : [])]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export function eventsOfReader(db: Db, readerId: string, limit: number) {
  return db
    .selectFrom('reader_events')
    .select(['occurred_at', 'type', 'unit_id', 'item_id', 'depth', 'dwell_ms', 'target'])
    .where('reader_id', '=', readerId)
    .orderBy('occurred_at', 'desc')
    .limit(limit)
    .execute();
}
