import { type Kysely, sql } from 'kysely';
import { partitionBounds } from '../../../modules/readers/partitions.ts';

// 用户库: readers are the public, not staff — separate accounts, sessions and codes. One identity across
// every member unit's portal and app, so these tables carry no unit_id in their keys; the unit a reader
// signed up on and the units they follow are plain references.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table readers (
      id uuid primary key default gen_random_uuid(),
      display_name text not null,
      phone text unique,
      email text unique,
      password_hash text,
      home_division_code text,
      interests text[] not null default '{}',
      registered_unit_id uuid not null references units(id),
      failed_logins int not null default 0,
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_login_at timestamptz,
      check (phone is not null or email is not null)
    )`.execute(db);
  await sql`create index readers_registered_unit_idx on readers (registered_unit_id)`.execute(db);

  await sql`
    create table reader_follows (
      reader_id uuid not null references readers(id) on delete cascade,
      unit_id uuid not null references units(id),
      created_at timestamptz not null default now(),
      primary key (reader_id, unit_id)
    )`.execute(db);
  await sql`create index reader_follows_unit_idx on reader_follows (unit_id)`.execute(db);

  // Every grant and withdrawal is kept (the history is the proof); the latest row per purpose is in force.
  await sql`
    create table reader_consents (
      id bigint generated always as identity primary key,
      reader_id uuid not null references readers(id) on delete cascade,
      purpose text not null check (purpose in ('personalisation','push','analytics')),
      version text not null,
      granted boolean not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index reader_consents_reader_idx on reader_consents (reader_id, purpose, id desc)`.execute(db);

  await sql`
    create table reader_sessions (
      id_hash text primary key,
      reader_id uuid not null references readers(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index reader_sessions_reader_idx on reader_sessions (reader_id)`.execute(db);

  // One-time codes: the destination and the code are both stored only as digests.
  await sql`
    create table reader_codes (
      id bigint generated always as identity primary key,
      destination_hash text not null,
      channel text not null check (channel in ('phone','email')),
      code_hash text not null,
      attempts int not null default 0,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      consumed_at timestamptz
    )`.execute(db);
  await sql`create index reader_codes_destination_idx on reader_codes (destination_hash, id desc)`.execute(db);

  // Anonymous device ids (the tracker's localStorage id) linked to the account that logged in on them.
  await sql`
    create table reader_devices (
      device_id text primary key,
      reader_id uuid not null references readers(id) on delete cascade,
      linked_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index reader_devices_reader_idx on reader_devices (reader_id)`.execute(db);

  // Reading events: append-only, partitioned by day (Asia/Shanghai), no foreign keys so an erased
  // reader's events can stay behind under a replacement id.
  await sql`
    create table reader_events (
      occurred_at timestamptz not null,
      event_id text not null,
      type text not null,
      reader_id uuid,
      device_id text,
      unit_id uuid,
      item_id uuid,
      depth real,
      dwell_ms int,
      target text,
      division_code text,
      received_at timestamptz not null default now()
    ) partition by range (occurred_at)`.execute(db);
  // Two indexes only, because every index costs ingest speed (measured: each one about a quarter of it).
  // A client retry carries the same device, event id and time, so this one catches duplicates across
  // processes, and its leading device column serves the merge at sign-in and erasure. Scoped by device,
  // a client cannot suppress someone else's events by reusing their ids. Rows without a device (kept
  // without consent, or anonymised) never collide here: the ingest's in-memory check covers those.
  await sql`create unique index reader_events_dedupe_idx on reader_events (device_id, event_id, occurred_at)`.execute(db);
  // A reader's own history (feed, export), only for events kept under a person.
  await sql`create index reader_events_reader_idx on reader_events (reader_id, occurred_at) where reader_id is not null`.execute(db);
  // A week back and two weeks ahead now; the ingest buffer creates any other day on demand.
  const today = Date.now();
  for (let d = -7; d <= 14; d++) {
    const b = partitionBounds(new Date(today + d * 86_400_000));
    await sql`create table if not exists ${sql.table(b.name)} partition of reader_events for values from (${sql.lit(b.from)}) to (${sql.lit(b.to)})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['reader_events', 'reader_devices', 'reader_codes', 'reader_sessions', 'reader_consents', 'reader_follows', 'readers']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
