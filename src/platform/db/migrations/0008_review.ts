import { type Kysely, sql } from 'kysely';

// 智能审核: lexicons (versioned), allow-lists, wording rule packs and patrol alerts. Alliance-wide
// rows carry the root unit's id with scope 'alliance', so every table still has unit_id in its key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table review_lexicons (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      scope text not null check (scope in ('alliance','unit')),
      name text not null,
      description text,
      builtin_key text,
      version int not null default 0,
      enabled boolean not null default true,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id),
      unique (id),
      unique (unit_id, name)
    )`.execute(db);
  // A seeded lexicon exists once, however many processes race to seed it.
  await sql`create unique index review_lexicons_builtin_idx on review_lexicons (builtin_key) where builtin_key is not null`.execute(db);

  // A term lives from the version that added it until the version that removed it, so any version
  // can be exported without storing a copy per version.
  await sql`
    create table review_lexicon_terms (
      unit_id uuid not null,
      id bigint generated always as identity,
      lexicon_id uuid not null,
      term text not null,
      category text not null,
      severity text not null check (severity in ('block','review','info')),
      added_version int not null,
      removed_version int,
      primary key (unit_id, id),
      foreign key (unit_id, lexicon_id) references review_lexicons(unit_id, id) on delete cascade
    )`.execute(db);
  await sql`create unique index review_lexicon_terms_live_idx on review_lexicon_terms (lexicon_id, term) where removed_version is null`.execute(db);
  await sql`create index review_lexicon_terms_version_idx on review_lexicon_terms (lexicon_id, added_version)`.execute(db);

  await sql`
    create table review_lexicon_versions (
      unit_id uuid not null,
      lexicon_id uuid not null,
      version int not null,
      note text,
      added int not null default 0,
      removed int not null default 0,
      changed_by uuid references users(id),
      changed_at timestamptz not null default now(),
      primary key (unit_id, lexicon_id, version),
      foreign key (unit_id, lexicon_id) references review_lexicons(unit_id, id) on delete cascade
    )`.execute(db);

  // 白名单: terms never reported (alliance-wide rows sit on the root unit with scope 'alliance').
  await sql`
    create table review_allow_terms (
      unit_id uuid not null references units(id),
      id bigint generated always as identity,
      scope text not null check (scope in ('alliance','unit')),
      term text not null,
      note text,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      primary key (unit_id, id),
      unique (unit_id, term)
    )`.execute(db);

  // 规范表述: rule packs; the rules are validated by the wording checker's own parser.
  await sql`
    create table review_wording_packs (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      scope text not null check (scope in ('alliance','unit')),
      name text not null,
      builtin_key text,
      rules jsonb not null,
      version int not null default 1,
      enabled boolean not null default true,
      updated_by uuid references users(id),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id),
      unique (id),
      unique (unit_id, name)
    )`.execute(db);
  await sql`create unique index review_wording_packs_builtin_idx on review_wording_packs (builtin_key) where builtin_key is not null`.execute(db);

  // One counter for every change above: each process compares it to decide whether its in-memory
  // engines are stale, in one cheap query.
  await sql`create table review_generation (id int primary key check (id = 1), generation bigint not null)`.execute(db);
  await sql`insert into review_generation (id, generation) values (1, 1)`.execute(db);

  // 巡查: problems found in already-published items after a lexicon or pack changed.
  await sql`
    create table review_alerts (
      unit_id uuid not null,
      id bigint generated always as identity,
      item_id uuid not null,
      fingerprint text not null,
      rule text not null,
      severity text not null,
      message text not null,
      field text not null,
      start_offset int,
      end_offset int,
      excerpt text,
      status text not null default 'open' check (status in ('open','resolved')),
      created_at timestamptz not null default now(),
      resolved_by uuid references users(id),
      resolved_at timestamptz,
      resolution text,
      primary key (unit_id, id),
      unique (unit_id, item_id, fingerprint),
      foreign key (unit_id, item_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);
  await sql`create index review_alerts_open_idx on review_alerts (unit_id, status, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['review_alerts', 'review_generation', 'review_wording_packs', 'review_allow_terms', 'review_lexicon_versions', 'review_lexicon_terms', 'review_lexicons']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
