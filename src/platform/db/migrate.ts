import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './database.ts';
import * as m0001 from './migrations/0001_alliance_identity.ts';
import * as m0002 from './migrations/0002_content.ts';
import * as m0003 from './migrations/0003_assets.ts';
import * as m0004 from './migrations/0004_search.ts';
import * as m0005 from './migrations/0005_ingest.ts';
import * as m0006 from './migrations/0006_newsroom.ts';
import * as m0007 from './migrations/0007_system_account.ts';
import * as m0008 from './migrations/0008_review.ts';
import * as m0009 from './migrations/0009_distribution.ts';
import * as m0010 from './migrations/0010_portal.ts';
import * as m0011 from './migrations/0011_print.ts';
import * as m0012 from './migrations/0012_readers.ts';
import * as m0016 from './migrations/0016_push.ts';
import * as m0017 from './migrations/0017_search_rank.ts';
import * as m0018 from './migrations/0018_search_row_once.ts';
import * as m0015 from './migrations/0015_recommend.ts';
import * as m0019 from './migrations/0019_identity_hardening.ts';
import * as m0020 from './migrations/0020_reader_code_limits.ts';
import * as m0021 from './migrations/0021_audit_chain.ts';
import * as m0022 from './migrations/0022_membership_invitations.ts';
import * as m0023 from './migrations/0023_vocabulary.ts';
import * as m0024 from './migrations/0024_screening.ts';
import * as m0025 from './migrations/0025_relay_revision.ts';
import * as m0026 from './migrations/0026_working_copies.ts';
import * as m0027 from './migrations/0027_site_curation.ts';
import * as m0028 from './migrations/0028_remembered_unit.ts';
import * as m0029 from './migrations/0029_lexicon_context.ts';

// Listed by hand so migrations travel inside the package and run in a fixed, reviewable order.
const migrations: Record<string, Migration> = {
  '0001_alliance_identity': m0001,
  '0002_content': m0002,
  '0003_assets': m0003,
  '0004_search': m0004,
  '0005_ingest': m0005,
  '0006_newsroom': m0006,
  '0007_system_account': m0007,
  '0008_review': m0008,
  '0009_distribution': m0009,
  '0010_portal': m0010,
  '0011_print': m0011,
  '0012_readers': m0012,
  '0016_push': m0016,
  '0017_search_rank': m0017,
  '0018_search_row_once': m0018,
  '0015_recommend': m0015,
  '0019_identity_hardening': m0019,
  '0020_reader_code_limits': m0020,
  '0021_audit_chain': m0021,
  '0022_membership_invitations': m0022,
  '0023_vocabulary': m0023,
  '0024_screening': m0024,
  '0025_relay_revision': m0025,
  '0026_working_copies': m0026,
  '0027_site_curation': m0027,
  '0028_remembered_unit': m0028,
  '0029_lexicon_context': m0029,
};

/** Every migration of the platform, for a Migrator (tests move to a given one with it). */
export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`迁移失败 / migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const done = await new Migrator({ db, provider: migrationProvider }).getMigrations();
  return done.filter((m) => !m.executedAt).map((m) => m.name);
}
