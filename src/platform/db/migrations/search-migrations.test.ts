import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../database.ts';
import { migrateToLatest, migrationProvider } from '../migrate.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

it('0017 gives items written before it their title, lead and body ranking texts, and builds the match index again', async () => {
  const db = handle.db;
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0016_push');
  expect(error).toBeUndefined();
  const unit = await db.selectFrom('units').select('id').where('division_code', '=', '510104').executeTakeFirstOrThrow();
  const { rows } = await sql<{ id: string }>`
    insert into content_items (unit_id, type, status, title, summary, tags, body, body_html, body_text, contributors, share_scope)
    values (${unit.id}, 'article', 'draft', '融媒體中心挂牌', '全区新闻宣传一体化', '{Ｔianfu}', '{}', '', '记者报道，记者采访，记者随行。', '[]', 'unit')
    returning id`.execute(db);
  const id = rows[0]!.id;

  expect((await migrateToLatest(db)).slice(0, 2)).toEqual(['0017_search_rank', '0018_search_row_once']);
  const row = await db.selectFrom('content_search').select(['rank_title', 'rank_lead', 'rank_body']).where('id', '=', id).executeTakeFirstOrThrow();
  expect(row.rank_title).toBe('融媒体中心挂牌');
  expect(row.rank_lead).toBe('全区新闻宣传一体化\ntianfu');
  expect(row.rank_body.split(' ')[0]).toBe('记者');
  const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'content_search'`.execute(db);
  expect(indexes.rows.map((r) => r.indexname)).toContain('content_search_tsv_idx');
});

it('0018: an item inserted without the save listener still gets its index row, at commit, as committed', async () => {
  const db = handle.db;
  const unit = await db.selectFrom('units').select('id').where('division_code', '=', '510105').executeTakeFirstOrThrow();
  const id = await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: string }>`
      insert into content_items (unit_id, type, status, title, tags, body, body_html, body_text, contributors, share_scope)
      values (${unit.id}, 'article', 'draft', '无监听的稿件', '{}', '{}', '', '正文', '[]', 'unit') returning id`.execute(trx);
    // Changed again before commit: the row made at commit mirrors this, not the insert.
    await sql`update content_items set status = 'submitted', category = '时政' where id = ${rows[0]!.id}`.execute(trx);
    return rows[0]!.id;
  });
  const row = await db.selectFrom('content_search').select(['unit_id', 'status', 'category']).where('id', '=', id).executeTakeFirstOrThrow();
  expect(row).toEqual({ unit_id: unit.id, status: 'submitted', category: '时政' });
});
