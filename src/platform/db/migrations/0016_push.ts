import { type Kysely, sql } from 'kysely';

// 精准推送: where a reader can be reached (web push subscriptions, app registration ids), the segments
// staff build, the campaigns sent to them, one delivery row per reader and address, and one send row per
// reader and campaign (the frequency cap counts these across the whole alliance).
export async function up(db: Kysely<unknown>): Promise<void> {
  // Instance-wide secrets of the push module (the VAPID key pair), sealed like channel credentials.
  await sql`
    create table push_secrets (
      name text primary key,
      public_value text not null,
      sealed text not null,
      created_at timestamptz not null default now()
    )`.execute(db);

  // A unit's app on JPush or Getui: its credentials, sealed, bound to the row id.
  await sql`
    create table push_apps (
      id uuid primary key default gen_random_uuid(),
      unit_id uuid not null references units(id),
      kind text not null check (kind in ('jpush','getui')),
      name text not null,
      config jsonb not null default '{}',
      secrets_sealed text not null,
      created_at timestamptz not null default now(),
      unique (unit_id, kind, name)
    )`.execute(db);

  await sql`
    create table push_registrations (
      id uuid primary key default gen_random_uuid(),
      reader_id uuid not null references readers(id) on delete cascade,
      kind text not null check (kind in ('webpush','jpush','getui')),
      app_id uuid references push_apps(id) on delete cascade,
      address text not null,
      keys jsonb,
      created_at timestamptz not null default now(),
      unique (kind, address),
      check ((kind = 'webpush') = (app_id is null))
    )`.execute(db);
  await sql`create index push_registrations_reader_idx on push_registrations (reader_id)`.execute(db);

  await sql`
    create table push_segments (
      id uuid primary key default gen_random_uuid(),
      unit_id uuid not null references units(id),
      name text not null,
      definition jsonb not null,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index push_segments_unit_idx on push_segments (unit_id)`.execute(db);

  await sql`
    create table push_campaigns (
      id uuid primary key default gen_random_uuid(),
      unit_id uuid not null references units(id),
      segment_id uuid references push_segments(id) on delete set null,
      definition jsonb not null,
      title text not null,
      body text not null,
      item_id uuid not null,
      link text not null,
      urgent boolean not null default false,
      scheduled_at timestamptz not null,
      state text not null check (state in ('scheduled','sending','sent','cancelled')),
      audience int,
      capped int not null default 0,
      created_by uuid,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )`.execute(db);
  await sql`create index push_campaigns_unit_idx on push_campaigns (unit_id, created_at desc)`.execute(db);

  await sql`
    create table push_sends (
      campaign_id uuid not null references push_campaigns(id) on delete cascade,
      reader_id uuid not null references readers(id) on delete cascade,
      sent_at timestamptz not null,
      opened_at timestamptz,
      primary key (campaign_id, reader_id)
    )`.execute(db);
  // The frequency cap: a reader's sends in the last 24 h, across every unit's campaigns.
  await sql`create index push_sends_reader_idx on push_sends (reader_id, sent_at)`.execute(db);

  await sql`
    create table push_deliveries (
      id uuid primary key default gen_random_uuid(),
      campaign_id uuid not null references push_campaigns(id) on delete cascade,
      reader_id uuid not null references readers(id) on delete cascade,
      channel text not null,
      registration_id uuid references push_registrations(id) on delete set null,
      status text not null check (status in ('accepted','failed')),
      error text,
      remote_id text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index push_deliveries_campaign_idx on push_deliveries (campaign_id, status)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['push_deliveries', 'push_sends', 'push_campaigns', 'push_segments', 'push_registrations', 'push_apps', 'push_secrets']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
