import { type Kysely, sql } from 'kysely';

// A search ranks every hit on its title and lead (inline text) but reads the body's rank vector only for
// the hits that can reach the page (search.repo.ts). So the vector moves out of the row: with a 128-byte
// tuple target PostgreSQL stores it in the TOAST table, and the row a search visits per hit shrinks to
// its filter columns, title and lead. Those are MAIN, kept in the row whatever its size; the match
// vector was already out of line (it is kilobytes). Rows written before take the new layout when they are
// next written (search gives the same answers either way); `vacuum full content_search` moves all at once.
const INLINE = ['type', 'status', 'category', 'region_code', 'share_scope', 'share_unit_ids', 'rank_title', 'rank_lead'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of INLINE) await sql`alter table content_search alter column ${sql.ref(column)} set storage main`.execute(db);
  await sql`alter table content_search alter column rank_tsv set storage external`.execute(db);
  await sql`alter table content_search set (toast_tuple_target = 128)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table content_search reset (toast_tuple_target)`.execute(db);
  await sql`alter table content_search alter column rank_tsv set storage extended`.execute(db);
  for (const column of INLINE) await sql`alter table content_search alter column ${sql.ref(column)} set storage extended`.execute(db);
}
