import { type Kysely, sql } from 'kysely';

// 报纸版面: the print pool (stories delivered to a unit's print channel, waiting for an edition) and
// the laid-out pages, each keeping the PDF it produced so what was proofed is what is downloaded.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table print_pool (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      channel_id uuid,
      item_id uuid,
      revision int,
      idempotency_key text not null,
      title text not null,
      story jsonb not null,
      cover_asset_id uuid,
      delivered_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id),
      unique (id),
      unique (idempotency_key)
    )`.execute(db);
  await sql`create index print_pool_item_idx on print_pool (unit_id, item_id)`.execute(db);

  await sql`
    create table print_pages (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      name text not null,
      format text not null check (format in ('broadsheet','tabloid')),
      edition_date date not null,
      stories jsonb not null,
      report jsonb not null,
      flags jsonb not null default '[]',
      page_count int not null,
      pdf bytea not null,
      pdf_bytes int not null,
      render_ms int not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id),
      unique (id)
    )`.execute(db);
  await sql`create index print_pages_date_idx on print_pages (unit_id, edition_date desc, created_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table print_pages`.execute(db);
  await sql`drop table print_pool`.execute(db);
}
