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

const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db)).rows[0]!.n);

it('0024 renames the 智能审核 tables to screening_* with their rows, and down puts them back', async () => {
  // The template already holds the seeded default lexicon.
  const lexicons = await count('screening_lexicons');
  const terms = await count('screening_lexicon_terms');
  expect(terms).toBeGreaterThan(40_000);

  const { error } = await new Migrator({ db: handle.db, provider: migrationProvider }).migrateTo('0022_membership_invitations');
  expect(error).toBeUndefined();
  expect([await count('review_lexicons'), await count('review_lexicon_terms')]).toEqual([lexicons, terms]);
  const left = await sql<{ tablename: string }>`select tablename from pg_tables where tablename like 'screening_%' or tablename = 'check_results'`.execute(handle.db);
  expect(left.rows).toEqual([]);

  await migrateToLatest(handle.db);
  expect([await count('screening_lexicons'), await count('screening_lexicon_terms')]).toEqual([lexicons, terms]);
  const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'screening_lexicon_terms'`.execute(handle.db);
  expect(indexes.rows.map((r) => r.indexname)).toContain('screening_lexicon_terms_live_idx');
});
