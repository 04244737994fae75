import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 稿件: one row per story, gallery, video, audio, live link or special topic, owned by a unit.
  await sql`
    create table content_items (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      type text not null check (type in ('article','gallery','video','audio','live','special')),
      status text not null default 'draft' check (status in
        ('incoming','draft','submitted','in_review','signed_off','scheduled','published','corrected','retracted','archived')),
      title text not null,
      subtitle text,
      summary text,
      body jsonb not null,
      body_html text not null,
      body_text text not null,
      cover_asset_id uuid,
      byline text,
      contributors jsonb not null default '[]',
      source text,
      credit_line text,
      tags text[] not null default '{}',
      category text,
      region_code text,
      language text not null default 'zh-CN',
      live_url text,
      embargo_until timestamptz,
      ai_assisted boolean not null default false,
      share_scope text not null default 'unit' check (share_scope in ('unit','parents','units','alliance')),
      share_unit_ids uuid[] not null default '{}',
      origin_unit_id uuid references units(id),
      origin_item_id uuid,
      pickup_count int not null default 0,
      revision int not null default 1,
      understanding jsonb,
      understood_at timestamptz,
      simhash text,
      created_by uuid references users(id),
      updated_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create unique index content_items_id_idx on content_items (id)`.execute(db);
  await sql`create index content_items_unit_updated_idx on content_items (unit_id, updated_at desc)`.execute(db);
  await sql`create index content_items_shared_idx on content_items (share_scope, updated_at desc) where share_scope <> 'unit'`.execute(db);
  await sql`create index content_items_origin_idx on content_items (origin_item_id) where origin_item_id is not null`.execute(db);
  await sql`create index content_items_simhash_idx on content_items (simhash) where simhash is not null`.execute(db);

  // 专题: a special topic groups other items, in order.
  await sql`
    create table content_special_members (
      unit_id uuid not null,
      special_id uuid not null,
      item_id uuid not null references content_items(id) on delete cascade,
      position int not null,
      primary key (unit_id, special_id, item_id),
      foreign key (unit_id, special_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);

  // 修订: every save keeps the full editable state, with who, when and why.
  await sql`
    create table content_revisions (
      unit_id uuid not null,
      item_id uuid not null,
      number int not null,
      snapshot jsonb not null,
      body_text text not null,
      note text,
      author_id uuid references users(id),
      created_at timestamptz not null default now(),
      primary key (unit_id, item_id, number),
      foreign key (unit_id, item_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);

  // 上报 / 下发: an item sent to another unit's hub with a note. unit_id is the receiving unit.
  await sql`
    create table content_deliveries (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      kind text not null check (kind in ('submit','distribute')),
      item_id uuid not null references content_items(id) on delete cascade,
      from_unit_id uuid not null references units(id),
      note text,
      sent_by uuid references users(id),
      created_at timestamptz not null default now(),
      picked_item_id uuid,
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create index content_deliveries_item_idx on content_deliveries (item_id)`.execute(db);

  // 采用: a copy taken into another unit, counted for the originator. unit_id is the originating unit.
  await sql`
    create table content_pickups (
      unit_id uuid not null references units(id),
      item_id uuid not null,
      picked_by_unit_id uuid not null references units(id),
      copy_item_id uuid not null,
      picked_by uuid references users(id),
      created_at timestamptz not null default now(),
      primary key (unit_id, item_id, picked_by_unit_id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['content_pickups', 'content_deliveries', 'content_revisions', 'content_special_members', 'content_items']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
