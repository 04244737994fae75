import type { Db } from '../../platform/db/database.ts';

/** What other modules (recommend, portal) may read of the readers' data: the reading events, view counts and a reader's ties. */

export interface ReadEvent {
  received_at: Date;
  event_id: string;
  occurred_at: Date;
  type: string;
  reader_id: string | null;
  device_id: string | null;
  unit_id: string | null;
  item_id: string | null;
  depth: number | null;
}

/**
 * Events received after the cursor, oldest first. Events are accepted up to 7 days late, so the
 * partition range scanned is the cursor minus 8 days onwards.
 */
export function eventsAfter(db: Db, cursor: { received_at: Date; event_id: string }, limit: number): Promise<ReadEvent[]> {
  const from = new Date(cursor.received_at.getTime() - 8 * 86_400_000);
  return db
    .selectFrom('reader_events')
    .select(['received_at', 'event_id', 'occurred_at', 'type', 'reader_id', 'device_id', 'unit_id', 'item_id', 'depth'])
    .where('occurred_at', '>=', from)
    .where((eb) => eb.or([eb('received_at', '>', cursor.received_at), eb.and([eb('received_at', '=', cursor.received_at), eb('event_id', '>', cursor.event_id)])]))
    .orderBy('received_at')
    .orderBy('event_id')
    .limit(limit)
    .execute() as Promise<ReadEvent[]>;
}

export async function follows(db: Db, readerId: string): Promise<string[]> {
  const rows = await db.selectFrom('reader_follows').select('unit_id').where('reader_id', '=', readerId).execute();
  return rows.map((r) => r.unit_id);
}

export function homeDivision(db: Db, readerId: string) {
  return db.selectFrom('readers').select('home_division_code').where('id', '=', readerId).executeTakeFirst();
}

/**
 * 阅读 N: how many times each story's page was opened (view events, bots and repeats already
 * filtered at ingest), counted once the event buffer has written them. The portal shows it on the
 * article page, whose render is cached, so this runs at most once per page per cache lifetime.
 */
export async function viewCounts(db: Db, itemIds: string[]): Promise<Map<string, number>> {
  if (!itemIds.length) return new Map();
  const rows = await db
    .selectFrom('reader_events')
    .select(['item_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('type', '=', 'view')
    .where('item_id', 'in', itemIds)
    .groupBy('item_id')
    .execute();
  return new Map(rows.map((r) => [r.item_id!, Number(r.n)]));
}
