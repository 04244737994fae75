import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 汇聚源: a feed a unit pulls into its incoming queue on a schedule.
  await sql`
    create table ingest_sources (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      name text not null,
      url text not null,
      format text not null default 'auto' check (format in ('auto','rss','atom','jsonfeed','ninjs','newsml')),
      interval_minutes int not null default 30 check (interval_minutes between 5 and 10080),
      paused boolean not null default false,
      status text not null default 'never' check (status in ('never','ok','error')),
      last_error text,
      last_fetched_at timestamptz,
      last_success_at timestamptz,
      last_result jsonb,
      etag text,
      last_modified text,
      item_count int not null default 0,
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create unique index ingest_sources_id_idx on ingest_sources (id)`.execute(db);
  await sql`create unique index ingest_sources_unit_url_idx on ingest_sources (unit_id, url)`.execute(db);

  // What each source has already delivered, by the feed's own id (guid), so a re-pull imports nothing twice.
  await sql`
    create table ingest_seen (
      unit_id uuid not null,
      source_id uuid not null,
      guid text not null,
      item_id uuid references content_items(id) on delete set null,
      simhash text,
      link text,
      skipped text check (skipped in ('near_duplicate')),
      fetched_at timestamptz not null default now(),
      primary key (unit_id, source_id, guid),
      foreign key (unit_id, source_id) references ingest_sources(unit_id, id) on delete cascade
    )`.execute(db);

  // 分类模型: each unit's category classifier, retrained only when its labelled items change.
  await sql`
    create table unit_category_models (
      unit_id uuid not null references units(id) primary key,
      model jsonb,
      labels text[] not null default '{}',
      labelled_count int not null,
      fingerprint text not null,
      trained_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['unit_category_models', 'ingest_seen', 'ingest_sources']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
