import { type Kysely, sql } from 'kysely';
import { indexVectors } from '../../../modules/content/search/index-text.ts';

// The item columns search filters, counts and checks visibility on, copied into content_search under
// the same names (see the trigger below).
const MIRRORED = ['unit_id', 'type', 'status', 'category', 'region_code', 'share_scope', 'share_unit_ids', 'created_by', 'created_at', 'updated_at'];

export async function up(db: Kysely<unknown>): Promise<void> {
  // 全文检索: per item, `tsv` (character bigrams and trigrams, for matching through GIN) and `rank_tsv`
  // (weighted words, small enough to stay in the row, for ts_rank); see index-text.ts. Kept beside
  // content_items rather than in it, because the hub reads items with `select *` and the match vector
  // is several times the size of the text it indexes.
  //
  // The row also mirrors the item's filter, facet and visibility columns, named as in content_items, so
  // a search with 20,000 hits filters, counts and applies the hub's own tenancy filter (visibleTo) in one
  // pass over this table instead of one lookup into content_items per hit (measured ~10 µs each).
  // A trigger keeps the mirror exact whatever code changes an item; fillfactor leaves room for HOT updates.
  await sql`
    create table content_search (
      unit_id uuid not null,
      id uuid not null,
      type text not null,
      status text not null,
      category text,
      region_code text,
      share_scope text not null,
      share_unit_ids uuid[] not null default '{}',
      created_by uuid,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      tsv tsvector not null default '',
      rank_tsv tsvector not null default '',
      primary key (unit_id, id),
      foreign key (unit_id, id) references content_items(unit_id, id) on delete cascade
    ) with (fillfactor = 85)`.execute(db);
  await sql`create unique index content_search_id_idx on content_search (id)`.execute(db);
  await sql`create index content_search_tsv_idx on content_search using gin (tsv)`.execute(db);

  const cols = sql.raw(MIRRORED.join(', '));
  const fromNew = sql.raw(MIRRORED.map((c) => `new.${c}`).join(', '));
  const setExcluded = sql.raw(MIRRORED.map((c) => `${c} = excluded.${c}`).join(', '));
  await sql`
    create function content_search_mirror() returns trigger language plpgsql as $$
    begin
      insert into content_search (id, ${cols}) values (new.id, ${fromNew})
      on conflict (id) do update set ${setExcluded};
      return null;
    end $$`.execute(db);
  await sql`
    create trigger content_search_mirror after insert or update of ${cols} on content_items
    for each row execute function content_search_mirror()`.execute(db);

  // 保存的检索: a person's named query (text + filters), listed in the search panel.
  await sql`
    create table saved_searches (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      user_id uuid not null references users(id),
      name text not null,
      query jsonb not null,
      created_at timestamptz not null default now(),
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create unique index saved_searches_id_idx on saved_searches (id)`.execute(db);
  await sql`create index saved_searches_user_idx on saved_searches (user_id, created_at desc)`.execute(db);

  // Items written before this migration: mirror them, then index them in batches with the same code the
  // save listener uses (`tianfu search reindex` rebuilds everything later if the recipe changes).
  await sql`insert into content_search (id, ${cols}) select id, ${cols} from content_items`.execute(db);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<{ id: string; title: string; subtitle: string | null; summary: string | null; tags: string[]; body_text: string }>`
      select id, title, subtitle, summary, tags, body_text from content_items
      where id > ${after}::uuid order by id limit 500`.execute(db);
    if (!rows.length) break;
    for (const r of rows) {
      const v = indexVectors(r);
      // Ranking values came with 0017_search_rank, which computes them for every item.
      await sql`update content_search set tsv = ${v.match}::tsvector where id = ${r.id}`.execute(db);
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists saved_searches`.execute(db);
  await sql`drop trigger if exists content_search_mirror on content_items`.execute(db);
  await sql`drop function if exists content_search_mirror()`.execute(db);
  await sql`drop table if exists content_search`.execute(db);
}
