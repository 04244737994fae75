import { type Kysely, sql } from 'kysely';
import { indexVectors } from '../../../modules/content/search/index-text.ts';

// Ranking from the title and lead as text (looked up by substring) and a smaller body vector, instead of
// title and lead bigrams as weighted lexemes: the row shrinks from ~0.8 kB to ~0.45 kB, so a common word's
// tens of thousands of hits sit on about half as many heap pages (see index-text.ts). Existing items get
// their new ranking values here; their match vectors do not change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table content_search add column rank_title text not null default '', add column rank_lead text not null default ''`.execute(db);
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
        return sql`(${r.id}::uuid, ${v.rank}::tsvector, ${v.title}, ${v.lead})`;
      }),
    );
    await sql`
      update content_search as s set rank_tsv = v.rank_tsv, rank_title = v.rank_title, rank_lead = v.rank_lead
      from (values ${values}) as v(id, rank_tsv, rank_title, rank_lead)
      where s.id = v.id`.execute(db);
    after = rows[rows.length - 1]!.id;
  }
  // The same index as 0004_search.
  await sql`create index content_search_tsv_idx on content_search using gin (tsv)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table content_search drop column rank_title, drop column rank_lead`.execute(db);
}
