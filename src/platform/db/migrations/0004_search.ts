import { type Kysely, sql } from 'kysely';
import { indexVectors } from '../../../modules/content/search/index-text.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 全文检索: per item, `tsv` (character bigrams and trigrams, for matching through GIN) and `rank_tsv`
  // (weighted words, small enough to stay in the row, for ts_rank); see index-text.ts. Kept beside
  // content_items rather than in it, because the hub reads items with `select *` and the match vector
  // is several times the size of the text it indexes.
  await sql`
    create table content_search (
      unit_id uuid not null,
      item_id uuid not null,
      tsv tsvector not null,
      rank_tsv tsvector not null,
      indexed_at timestamptz not null default now(),
      primary key (unit_id, item_id),
      foreign key (unit_id, item_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);
  await sql`create unique index content_search_item_idx on content_search (item_id)`.execute(db);
  await sql`create index content_search_tsv_idx on content_search using gin (tsv)`.execute(db);

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

  // Items written before this migration: index them now, in batches, with the same code the
  // save listener uses (`tianfu search reindex` rebuilds everything later if the recipe changes).
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<{ unit_id: string; id: string; title: string; subtitle: string | null; summary: string | null; tags: string[]; body_text: string }>`
      select unit_id, id, title, subtitle, summary, tags, body_text from content_items
      where id > ${after}::uuid order by id limit 500`.execute(db);
    if (!rows.length) break;
    for (const r of rows) {
      const v = indexVectors(r);
      await sql`insert into content_search (unit_id, item_id, tsv, rank_tsv) values (${r.unit_id}, ${r.id}, ${v.match}::tsvector, ${v.rank}::tsvector)`.execute(db);
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists saved_searches`.execute(db);
  await sql`drop table if exists content_search`.execute(db);
}
