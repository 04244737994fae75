import { type Kysely, sql } from 'kysely';

// "Review" now means only the human 三审 chain; 智能审核 is "screening". Renames keep every row.
const tables = ['lexicons', 'lexicon_terms', 'lexicon_versions', 'allow_terms', 'wording_packs', 'generation', 'alerts'];
const indexes = ['lexicons_builtin_idx', 'lexicon_terms_live_idx', 'lexicon_terms_version_idx', 'wording_packs_builtin_idx', 'alerts_open_idx'];

async function rename(db: Kysely<unknown>, from: string, to: string) {
  for (const t of tables) await sql`alter table ${sql.table(`${from}_${t}`)} rename to ${sql.table(`${to}_${t}`)}`.execute(db);
  for (const i of indexes) await sql`alter index ${sql.table(`${from}_${i}`)} rename to ${sql.table(`${to}_${i}`)}`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await rename(db, 'review', 'screening');
  // The automatic checks' findings for one revision of an item, written when it is submitted or
  // approved, so reading an item's workflow state never runs the checks (or the LLM) again.
  await sql`
    create table check_results (
      unit_id uuid not null,
      item_id uuid not null,
      revision int not null,
      findings jsonb not null,
      checked_at timestamptz not null default now(),
      primary key (unit_id, item_id, revision),
      foreign key (unit_id, item_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists check_results`.execute(db);
  await rename(db, 'screening', 'review');
}
