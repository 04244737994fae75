import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 站点库: what is live on each internal channel (portal, app, feed), one row per (channel, item),
  // holding the rendition readers see. The distribution core delivers into it through the site
  // adapters; reader pages read only from here, so nothing unpublished can ever reach them.
  await sql`
    create table site_items (
      channel_id uuid not null,
      item_id uuid not null,
      kind text not null check (kind in ('portal','app','feed')),
      site_unit_id uuid not null references units(id),
      site_unit_slug text not null,
      unit_id uuid not null references units(id),
      unit_name text not null,
      unit_slug text not null,
      item_type text not null,
      title text not null,
      summary text not null default '',
      html text,
      blocks jsonb,
      body_text text not null default '',
      cover_asset_id uuid,
      cover_crop text,
      ai_label text,
      byline text,
      source text,
      category text,
      region_code text,
      tags text[] not null default '{}',
      special_item_ids uuid[] not null default '{}',
      link text not null,
      canonical_url text not null,
      origin_item_id uuid,
      origin_unit_name text,
      revision int not null,
      correction_note text,
      retracted boolean not null default false,
      retraction_note text,
      retracted_at timestamptz,
      published_at timestamptz not null,
      updated_at timestamptz not null default now(),
      idempotency_key text not null,
      primary key (channel_id, item_id)
    )`.execute(db);
  // A unit's lists (home, section, feed, app cards) newest first, with the id breaking ties for cursors.
  await sql`create index site_items_unit_list_idx on site_items (site_unit_slug, kind, published_at desc, item_id desc)`.execute(db);
  // The alliance-wide lists and the sitemap.
  await sql`create index site_items_kind_list_idx on site_items (kind, published_at desc, item_id desc)`.execute(db);
  await sql`create index site_items_item_idx on site_items (item_id)`.execute(db);
  await sql`create index site_items_region_idx on site_items (kind, region_code)`.execute(db);

  // Published pictures, copied from the library at delivery: the library stays private, readers get
  // only what a live story shows.
  await sql`
    create table site_media (
      asset_id uuid not null,
      rendition text not null,
      mime text not null,
      bytes bytea not null,
      etag text not null,
      created_at timestamptz not null default now(),
      primary key (asset_id, rendition)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['site_media', 'site_items']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
