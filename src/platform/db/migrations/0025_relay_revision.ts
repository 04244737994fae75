import { type Kysely, sql } from 'kysely';

// 上报/下发 name the revision they sent, so the same revision is relayed to a unit once: a second click
// used to put the story twice in the receiving unit's 汇聚 list. Rows from before keep a null revision.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table content_relays add column revision integer`.execute(db);
  await sql`create unique index content_relays_once_per_revision on content_relays (unit_id, item_id, direction, revision) where revision is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists content_relays_once_per_revision`.execute(db);
  await sql`alter table content_relays drop column if exists revision`.execute(db);
}
