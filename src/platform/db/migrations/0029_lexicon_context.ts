import { type Kysely, sql } from 'kysely';

// Lexicon terms carry a context rule (companions within a window, whole word, exceptions), so an
// ordinary word such as 手枪 counts only next to 出售. Null: every occurrence counts, as before.
// An editor's 「不是问题」 on a finding is a proposal; it joins the unit's allow-list only when a
// chief editor approves it, so one person cannot silence a term for the whole newsroom.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table screening_lexicon_terms add column context jsonb`.execute(db);
  await sql`
    create table screening_allow_proposals (
      unit_id uuid not null references units(id),
      id bigint generated always as identity,
      term text not null,
      rule text not null,
      excerpt text,
      note text,
      status text not null default 'pending' check (status in ('pending','approved','rejected')),
      proposed_by uuid not null references users(id),
      proposed_at timestamptz not null default now(),
      decided_by uuid references users(id),
      decided_at timestamptz,
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create unique index screening_allow_proposals_pending on screening_allow_proposals (unit_id, term) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists screening_allow_proposals`.execute(db);
  await sql`alter table screening_lexicon_terms drop column if exists context`.execute(db);
}
