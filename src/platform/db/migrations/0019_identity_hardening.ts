import { type Kysely, sql } from 'kysely';

// Staff sign-in hardening (issue 11, D8 + D11 + the second factor).
export async function up(db: Kysely<unknown>): Promise<void> {
  // Existing accounts start their password age now, so an upgrade expires nobody on the spot.
  await sql`
    alter table users
      add column must_change_password boolean not null default false,
      add column password_changed_at timestamptz not null default now(),
      add column mfa_required_since timestamptz`.execute(db);

  // A session limited to one thing (changing the password, enrolling a second factor) until it is done.
  await sql`alter table sessions add column restriction text check (restriction in ('password_change', 'mfa_enrolment'))`.execute(db);

  // One row per alliance (keyed by its root unit); no row means the defaults in security-policy.ts.
  await sql`
    create table staff_security_policy (
      root_unit_id uuid primary key references units(id),
      password_max_age_days int not null check (password_max_age_days between 0 and 3650),
      mfa_roles text[] not null,
      mfa_grace_days int not null check (mfa_grace_days between 0 and 365),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);

  // The TOTP secret is sealed (AES-256-GCM, bound to the user id); last_step is the replay guard.
  await sql`
    create table staff_mfa (
      user_id uuid primary key references users(id),
      secret_sealed text not null,
      confirmed_at timestamptz,
      last_step bigint,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table staff_recovery_codes (
      user_id uuid not null references users(id),
      code_hash text not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (user_id, code_hash)
    )`.execute(db);

  // The step between a right password and the second factor: a short-lived token, stored as a digest.
  await sql`
    create table login_challenges (
      id_hash text primary key,
      user_id uuid not null references users(id),
      ip text,
      attempts int not null default 0,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index login_challenges_user_idx on login_challenges (user_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['login_challenges', 'staff_recovery_codes', 'staff_mfa', 'staff_security_policy']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
  await sql`alter table sessions drop column if exists restriction`.execute(db);
  await sql`alter table users drop column if exists must_change_password, drop column if exists password_changed_at, drop column if exists mfa_required_since`.execute(db);
}
