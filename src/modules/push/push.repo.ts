import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { IdSubquery } from '../../platform/db/tables.ts';
import type { SegmentDefinition } from './segment.ts';
export { findPublishedStory } from '../portal/queries.ts';
import type { AppKind, CampaignState, PushKind } from './tables.ts';

/** Every SQL statement of the push module except the segment audience (segment.ts). */

// Secrets and apps

export const findSecret = (db: Db, name: string) => db.selectFrom('push_secrets').selectAll().where('name', '=', name).executeTakeFirst();

export const insertSecret = (db: Db, row: { name: string; public_value: string; sealed: string }) =>
  db.insertInto('push_secrets').values(row).onConflict((oc) => oc.column('name').doNothing()).execute();

export const insertApp = (db: Db, row: { unit_id: string; kind: AppKind; name: string; config: Record<string, string>; secrets_sealed: string }) =>
  db
    .insertInto('push_apps')
    .values({ ...row, config: JSON.stringify(row.config) })
    .returning(['id', 'unit_id', 'kind', 'name', 'config', 'created_at'])
    .executeTakeFirstOrThrow();

export const findApp = (db: Db, id: string) => db.selectFrom('push_apps').selectAll().where('id', '=', id).executeTakeFirst();

export const findApps = (db: Db, ids: string[]) => (ids.length ? db.selectFrom('push_apps').selectAll().where('id', 'in', ids).execute() : Promise.resolve([]));

export const listApps = (db: Db, scope: IdSubquery<'id'> | null) =>
  db
    .selectFrom('push_apps')
    .select(['id', 'unit_id', 'kind', 'name', 'config', 'created_at'])
    .$if(scope !== null, (q) => q.where('unit_id', 'in', scope!))
    .orderBy('created_at')
    .execute();

// Registrations

export const upsertRegistration = (db: Db, row: { reader_id: string; kind: PushKind; app_id: string | null; address: string; keys: { p256dh: string; auth: string } | null }) =>
  db
    .insertInto('push_registrations')
    .values({ ...row, keys: JSON.stringify(row.keys) })
    // The same browser or device signing in as someone else now belongs to them.
    .onConflict((oc) => oc.columns(['kind', 'address']).doUpdateSet({ reader_id: row.reader_id, app_id: row.app_id, keys: JSON.stringify(row.keys), created_at: new Date() }))
    .returning(['id', 'kind', 'app_id', 'created_at'])
    .executeTakeFirstOrThrow();

export const deleteRegistration = (db: Db, readerId: string, kind: PushKind, address: string) =>
  db.deleteFrom('push_registrations').where('reader_id', '=', readerId).where('kind', '=', kind).where('address', '=', address).executeTakeFirst();

export const deleteRegistrationsById = (db: Db, ids: string[]) => (ids.length ? db.deleteFrom('push_registrations').where('id', 'in', ids).execute() : Promise.resolve([]));

export const registrationsOf = (db: Db, readerIds: string[], def: SegmentDefinition) =>
  db
    .selectFrom('push_registrations')
    .select(['id', 'reader_id', 'kind', 'app_id', 'address', 'keys'])
    .where('reader_id', 'in', readerIds)
    .$if(!!def.channels?.length, (q) => q.where('kind', 'in', def.channels!))
    .$if(!!def.apps?.length, (q) => q.where('app_id', 'in', def.apps!))
    .execute();

// Segments

export const insertSegment = (db: Db, row: { unit_id: string; name: string; definition: SegmentDefinition; created_by: string }) =>
  db
    .insertInto('push_segments')
    .values({ ...row, definition: JSON.stringify(row.definition), updated_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();

export const updateSegment = (db: Db, id: string, fields: { name: string; definition: SegmentDefinition }) =>
  db
    .updateTable('push_segments')
    .set({ name: fields.name, definition: JSON.stringify(fields.definition), updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const findSegment = (db: Db, id: string) => db.selectFrom('push_segments').selectAll().where('id', '=', id).executeTakeFirst();

export const deleteSegment = (db: Db, id: string) => db.deleteFrom('push_segments').where('id', '=', id).execute();

export const listSegments = (db: Db, unitId: string) => db.selectFrom('push_segments').selectAll().where('unit_id', '=', unitId).orderBy('updated_at', 'desc').execute();

// Campaigns

export const insertCampaign = (
  db: Db,
  row: { unit_id: string; segment_id: string | null; definition: SegmentDefinition; title: string; body: string; item_id: string; link: string; urgent: boolean; scheduled_at: Date; created_by: string },
) =>
  db
    .insertInto('push_campaigns')
    .values({ ...row, definition: JSON.stringify(row.definition), state: 'scheduled' })
    .returningAll()
    .executeTakeFirstOrThrow();

export const findCampaign = (db: Db, id: string) => db.selectFrom('push_campaigns').selectAll().where('id', '=', id).executeTakeFirst();

export const listCampaigns = (db: Db, unitId: string) =>
  db.selectFrom('push_campaigns').selectAll().where('unit_id', '=', unitId).orderBy('created_at', 'desc').limit(100).execute();

/** Moves a campaign from one state to the next; false when another worker (or a cancel) got there first. */
export async function moveCampaign(db: Db, id: string, from: CampaignState, to: CampaignState, fields: { scheduled_at?: Date; sent_at?: Date; audience?: number; capped?: number } = {}) {
  const r = await db.updateTable('push_campaigns').set({ state: to, ...fields }).where('id', '=', id).where('state', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// Sends, caps, deliveries, opens

/** Of these readers, who already got `cap` pushes in the 24 h before `now` (any unit's campaigns). */
export async function readersAtCap(db: Db, readerIds: string[], since: Date, cap: number): Promise<Set<string>> {
  if (!readerIds.length) return new Set();
  const rows = await db
    .selectFrom('push_sends')
    .select(['reader_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('reader_id', 'in', readerIds)
    .where('sent_at', '>', since)
    .groupBy('reader_id')
    .having((eb) => eb.fn.countAll(), '>=', cap)
    .execute();
  return new Set(rows.map((r) => r.reader_id));
}

export const insertSends = (db: Db, campaignId: string, readerIds: string[], at: Date) =>
  readerIds.length
    ? db
        .insertInto('push_sends')
        .values(readerIds.map((reader_id) => ({ campaign_id: campaignId, reader_id, sent_at: at })))
        .onConflict((oc) => oc.doNothing())
        .execute()
    : Promise.resolve([]);

export const insertDeliveries = (
  db: Db,
  rows: { campaign_id: string; reader_id: string; channel: PushKind; registration_id: string | null; status: 'accepted' | 'failed'; error: string | null; remote_id: string | null; at: Date }[],
) => (rows.length ? db.insertInto('push_deliveries').values(rows).execute() : Promise.resolve([]));

export async function noteOpen(db: Db, campaignId: string, readerId: string, at: Date) {
  const r = await db
    .updateTable('push_sends')
    .set({ opened_at: sql<Date>`coalesce(opened_at, ${at})` })
    .where('campaign_id', '=', campaignId)
    .where('reader_id', '=', readerId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function campaignResults(db: Db, id: string) {
  const sends = await db
    .selectFrom('push_sends')
    .select([(eb) => eb.fn.countAll<number>().as('sent'), sql<number>`count(opened_at)`.as('opened')])
    .where('campaign_id', '=', id)
    .executeTakeFirstOrThrow();
  const deliveries = await db
    .selectFrom('push_deliveries')
    .select(['channel', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', id)
    .groupBy(['channel', 'status'])
    .execute();
  // A reader counts as delivered when at least one of their addresses was accepted.
  const reached = await db
    .selectFrom('push_deliveries')
    .select(sql<number>`count(distinct reader_id)`.as('n'))
    .where('campaign_id', '=', id)
    .where('status', '=', 'accepted')
    .executeTakeFirstOrThrow();
  return { sent: Number(sends.sent), opened: Number(sends.opened), delivered: Number(reached.n), deliveries: deliveries.map((d) => ({ channel: d.channel, status: d.status, count: Number(d.n) })) };
}
