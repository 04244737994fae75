import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  // 联合体成员单位: the unit tree. `path` lists ids from the root, so a subtree is a prefix match.
  await sql`
    create table units (
      id uuid primary key default gen_random_uuid(),
      parent_id uuid references units(id),
      kind text not null check (kind in ('province','founder','city','county','zone','department')),
      name text not null check (length(name) between 1 and 100),
      division_code text unique,
      division_name text,
      path text not null,
      depth int not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index units_parent_idx on units (parent_id)`.execute(db);
  await sql`create index units_path_idx on units (path text_pattern_ops)`.execute(db);
  await sql`create unique index units_one_root on units ((parent_id is null)) where parent_id is null`.execute(db);

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      username text not null,
      display_name text not null,
      password_hash text not null,
      active boolean not null default true,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index users_username_idx on users (lower(username))`.execute(db);

  await sql`
    create table memberships (
      unit_id uuid not null references units(id),
      user_id uuid not null references users(id),
      role text not null check (role in ('reporter','editor','chief_editor','unit_admin','supervisor','alliance_admin')),
      created_at timestamptz not null default now(),
      primary key (unit_id, user_id)
    )`.execute(db);
  await sql`create index memberships_user_idx on memberships (user_id)`.execute(db);

  await sql`
    create table sessions (
      id_hash text primary key,
      user_id uuid not null references users(id),
      active_unit_id uuid not null references units(id),
      csrf_token text not null,
      ip text,
      user_agent text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);

  await sql`
    create table api_tokens (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      user_id uuid not null references users(id),
      name text not null,
      token_hash text not null unique,
      prefix text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz,
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create index api_tokens_user_idx on api_tokens (user_id)`.execute(db);

  await sql`
    create table login_throttle (
      key text primary key,
      failures int not null,
      locked_until timestamptz,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table audit_log (
      unit_id uuid not null references units(id),
      id bigint generated always as identity,
      at timestamptz not null default now(),
      actor_user_id uuid references users(id),
      action text not null,
      target_type text not null,
      target_id text,
      before jsonb,
      after jsonb,
      request_id text,
      ip text,
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create index audit_log_at_idx on audit_log (at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['audit_log', 'login_throttle', 'api_tokens', 'sessions', 'memberships', 'users', 'units']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
