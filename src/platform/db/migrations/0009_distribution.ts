import { type Kysely, sql } from 'kysely';

// 多元传播: a unit's channels, the channels chosen for each item, and the delivery outbox the workers drain.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A channel of a unit (its portal, app, feeds, webhooks, WeChat OA, Weibo, Douyin, print edition).
  // Credentials are AES-256-GCM ciphertext (secret-box.ts); the key never sits in the database.
  await sql`
    create table channels (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      kind text not null check (kind in ('portal','app','feed','webhook','wechat','weibo','douyin','print')),
      name text not null,
      config jsonb not null default '{}',
      secrets_ciphertext text,
      secret_fields text[] not null default '{}',
      enabled boolean not null default true,
      auto_select boolean not null default true,
      rate_limit_per_minute int check (rate_limit_per_minute is null or rate_limit_per_minute > 0),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id),
      unique (id),
      unique (unit_id, name)
    )`.execute(db);

  // The token bucket of a rate-limited channel, in the database so every worker process shares it.
  await sql`
    create table channel_rate_buckets (
      channel_id uuid primary key references channels(id) on delete cascade,
      tokens double precision not null,
      refilled_at timestamptz not null default now()
    )`.execute(db);

  // The channels a chief editor chose for an item (at schedule or publish time); corrections and
  // retractions go to the same ones.
  await sql`
    create table publication_channels (
      unit_id uuid not null,
      item_id uuid not null,
      channel_id uuid not null references channels(id) on delete cascade,
      chosen_by uuid references users(id),
      chosen_at timestamptz not null default now(),
      primary key (unit_id, item_id, channel_id),
      foreign key (unit_id, item_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);

  // The outbox: one row per (channel, item, action, revision, epoch), written in the publish
  // transaction. seq orders the rows of one channel+item (a retraction never overtakes its publish).
  await sql`
    create table distribution_deliveries (
      unit_id uuid not null,
      id uuid not null default gen_random_uuid(),
      seq bigint generated always as identity,
      channel_id uuid not null references channels(id),
      item_id uuid not null,
      action text not null check (action in ('publish','update','retract')),
      revision int not null,
      epoch int not null default 0,
      idempotency_key text not null unique,
      status text not null default 'queued' check (status in ('queued','sending','unknown','delivered','failed','skipped')),
      needs_reconcile boolean not null default false,
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now(),
      lease_until timestamptz,
      remote_id text,
      remote_url text,
      last_error text,
      failure text,
      rendition jsonb,
      source jsonb,
      note text,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      delivered_at timestamptz,
      primary key (unit_id, id),
      unique (id),
      unique (channel_id, item_id, action, revision, epoch),
      foreign key (unit_id, item_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);
  await sql`create index distribution_deliveries_due_idx on distribution_deliveries (next_attempt_at) where status in ('queued','unknown')`.execute(db);
  await sql`create index distribution_deliveries_lease_idx on distribution_deliveries (lease_until) where status = 'sending'`.execute(db);
  await sql`create index distribution_deliveries_item_idx on distribution_deliveries (item_id, channel_id, seq)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['distribution_deliveries', 'publication_channels', 'channel_rate_buckets', 'channels']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
