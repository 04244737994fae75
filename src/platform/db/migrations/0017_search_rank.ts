import { type Kysely, sql } from 'kysely';
import { indexVectors } from '../../../modules/content/search/index-text.ts';

// Ranking from three short texts kept in the row — the title, the lead and the body's most frequent
// words, in index form, looked up by substring — instead of a ~0.7 kB vector of weighted lexemes
// (title and lead bigrams, body words) for ts_rank: the row half as wide, so a common word's tens of
// thousands of hits sit on half as many heap pages (see index-text.ts). Existing items get their ranking
// texts here; their match vectors do not change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table content_search drop column rank_tsv,
      add column rank_title text not null default '', add column rank_lead text not null default '', add column rank_body text not null default ''`.execute(db);
  // Every row is rewritten: with the GIN index in place each new row version would re-insert all its
  // n-grams (~40 rows/s at 100k items, measured), so the index is built again once at the end.
  await sql`drop index content_search_tsv_idx`.execute(db);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<{ id: string; title: string; subtitle: string | null; summary: string | null; tags: string[]; body_text: string }>`
      select id, title, subtitle, summary, tags, body_text from content_items
      where id > ${after}::uuid order by id limit 500`.execute(db);
    if (!rows.length) break;
    const values = sql.join(
      rows.map((r) => {
        const v = indexVectors(r);
        return sql`(${r.id}::uuid, ${v.title}, ${v.lead}, ${v.body})`;
      }),
    );
    await sql`
      update content_search as s set rank_title = v.rank_title, rank_lead = v.rank_lead, rank_body = v.rank_body
      from (values ${values}) as v(id, rank_title, rank_lead, rank_body)
      where s.id = v.id`.execute(db);
    after = rows[rows.length - 1]!.id;
  }
  // The same index as 0004_search.
  await sql`create index content_search_tsv_idx on content_search using gin (tsv)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The old vector is rebuilt empty; `tianfu search reindex` does not restore it (the code no longer makes it).
  await sql`alter table content_search drop column rank_title, drop column rank_lead, drop column rank_body, add column rank_tsv tsvector not null default ''`.execute(db);
}
