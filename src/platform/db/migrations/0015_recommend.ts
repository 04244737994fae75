import { type Kysely, sql } from 'kysely';

// 推荐: what the recommender keeps between requests, all updated incrementally from reading events
// (src/modules/recommend/README.md). A "subject" is `r:<reader id>` or `d:<device id>` (anonymous).
export async function up(db: Kysely<unknown>): Promise<void> {
  // Interest profile: decayed weights (keywords, categories, places, units) valid at decayed_at.
  await sql`
    create table rec_profiles (
      subject text primary key,
      profile jsonb not null,
      decayed_at timestamptz not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
  // What a subject has read (never shown again) and the newest reads (for "因为你读过…" and co-reading).
  await sql`
    create table rec_reads (
      subject text not null,
      item_id uuid not null,
      read_at timestamptz not null,
      primary key (subject, item_id)
    )`.execute(db);
  await sql`create index rec_reads_recent_idx on rec_reads (subject, read_at desc)`.execute(db);
  // Item-to-item co-reading: how often b was read by someone who had recently read a (both directions stored).
  await sql`
    create table rec_coreads (
      item_a uuid not null,
      item_b uuid not null,
      n real not null,
      primary key (item_a, item_b)
    )`.execute(db);
  // The feed reads the strongest partners of a few items: walk this index, never sort all pairs.
  await sql`create index rec_coreads_top_idx on rec_coreads (item_a, n desc)`.execute(db);
  // Popularity with decay: a score valid at decayed_at.
  await sql`
    create table rec_popularity (
      item_id uuid primary key,
      score real not null,
      decayed_at timestamptz not null
    )`.execute(db);
  // Editorial pins per unit; with a slot the story must show at that position of the 推荐 feed.
  await sql`
    create table rec_pins (
      unit_id uuid not null references units(id),
      item_id uuid not null,
      slot int check (slot between 1 and 50),
      note text,
      created_by uuid not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      primary key (unit_id, item_id)
    )`.execute(db);
  // Where the profile updater stopped reading reader_events.
  await sql`
    create table rec_cursor (
      name text primary key,
      received_at timestamptz not null,
      event_id text not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['rec_cursor', 'rec_pins', 'rec_popularity', 'rec_coreads', 'rec_reads', 'rec_profiles']) await sql`drop table if exists ${sql.table(t)}`.execute(db);
}
