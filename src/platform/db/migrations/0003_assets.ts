import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 媒资库: one row per uploaded file. The bytes live in the asset store under storage_key;
  // renditions maps a name (thumb, medium, large, crop_16x9 …) to its own stored file.
  await sql`
    create table assets (
      unit_id uuid not null references units(id),
      id uuid not null,
      kind text not null check (kind in ('image','video','audio','document')),
      mime text not null,
      size bigint not null check (size >= 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      original_name text not null,
      caption text,
      tags text[] not null default '{}',
      width int,
      height int,
      duration_seconds double precision,
      storage_key text not null,
      renditions jsonb not null default '{}',
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id),
      -- the same bytes uploaded twice in one unit are one asset (查重 by checksum)
      unique (unit_id, sha256)
    )`.execute(db);
  await sql`create unique index assets_id_idx on assets (id)`.execute(db);
  await sql`create index assets_unit_created_idx on assets (unit_id, created_at desc)`.execute(db);
  await sql`create index assets_created_idx on assets (created_at desc)`.execute(db);
  await sql`create index assets_caption_trgm_idx on assets using gin (caption gin_trgm_ops)`.execute(db);
  await sql`create index assets_name_trgm_idx on assets using gin (original_name gin_trgm_ops)`.execute(db);
  await sql`create index assets_tags_idx on assets using gin (tags)`.execute(db);

  // Where each asset is used: written on every item save, read by the delete guard ("still used")
  // and by access checks ("used by an item you can see"). No foreign key to assets: an item may
  // name an asset id before the upload lands, or after it is gone, and its save must not fail.
  await sql`
    create table asset_usages (
      unit_id uuid not null,
      item_id uuid not null,
      asset_id uuid not null,
      primary key (unit_id, item_id, asset_id),
      foreign key (unit_id, item_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);
  await sql`create index asset_usages_asset_idx on asset_usages (asset_id)`.execute(db);

  // Items saved before this migration: their cover and body image ids.
  await sql`
    insert into asset_usages (unit_id, item_id, asset_id)
    select distinct i.unit_id, i.id, a.asset_id::uuid
    from content_items i,
      lateral (
        select i.cover_asset_id::text as asset_id where i.cover_asset_id is not null
        union
        select v #>> '{}' from jsonb_path_query(i.body, 'strict $.** ? (@.type == "image").attrs.assetId') v
      ) a
    where a.asset_id ~ '^[0-9a-fA-F-]{36}$'
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists asset_usages`.execute(db);
  await sql`drop table if exists assets`.execute(db);
}
