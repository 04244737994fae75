import { type Kysely, sql } from 'kysely';

// 门户编排: what a unit's editors chose for its portal home (portal module): the 头条 story, the 专题 strip
// in order, and the order of the 栏目 blocks. One row per unit; a home without a row is laid out
// automatically (newest story with a picture as 头条, newest 专题, busiest 栏目 first).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table site_curation (
      unit_id uuid primary key references units(id) on delete cascade,
      headline_item_id uuid,
      topic_item_ids uuid[] not null default '{}',
      section_order text[] not null default '{}',
      updated_by uuid references users(id) on delete set null,
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists site_curation`.execute(db);
}
