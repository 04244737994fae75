import { type Kysely, sql } from 'kysely';

// Reader code sending was limited by reading reader_codes and then inserting: concurrent requests all
// passed, and nothing limited a client IP, a device or the whole platform (SMS pumping costs money).
// The limits are counters now, each raised by one INSERT … ON CONFLICT DO UPDATE … WHERE n < cap, so a
// row lock decides every race, and the counters live in the database that all API processes share.
export async function up(db: Kysely<unknown>): Promise<void> {
  // key: 'dest:<digest>', 'ip:<digest>', 'device:<digest>' or 'global:<channel>'. window_seconds 3600 or
  // 86400 with window_start the start of that clock window; 0 for the resend-spacing row of a destination
  // (window_start 'epoch', last_at the last send).
  await sql`
    create table reader_code_limits (
      key text not null,
      window_seconds int not null,
      window_start timestamptz not null,
      n int not null,
      last_at timestamptz not null,
      primary key (key, window_seconds, window_start)
    )`.execute(db);
  await sql`create index reader_code_limits_last_idx on reader_code_limits (last_at)`.execute(db);

  // Proof-of-work challenges handed out with a 428: single use (used_at), short-lived.
  await sql`
    create table reader_code_challenges (
      id text primary key,
      difficulty int not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index reader_code_challenges_expiry_idx on reader_code_challenges (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table reader_code_challenges`.execute(db);
  await sql`drop table reader_code_limits`.execute(db);
}
