import { type Kysely, sql } from 'kysely';

// 审计日志防篡改: a hash chain over audit rows. Rows are still inserted as before, inside each caller's
// transaction and without any shared lock; a single sealer (advisory lock) later gives every committed
// row its place in the chain (chain_seq) and its hash over the previous hash and the row's fields. The
// retention purge removes a prefix of the chain and leaves an anchor (the last purged seq and hash) from
// which verification starts again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table audit_log
      add column chain_seq bigint,
      add column chain_alg text,
      add column chain_prev text,
      add column chain_hash text`.execute(db);
  // One row per place in the chain; a forged duplicate seq cannot even be stored.
  await sql`create unique index audit_log_chain_seq_idx on audit_log (chain_seq)`.execute(db);
  // The sealer's work list stays small however long the log grows.
  await sql`create index audit_log_unsealed_idx on audit_log (id) where chain_seq is null`.execute(db);
  await sql`
    create table audit_chain_anchors (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      through_seq bigint not null,
      through_hash text not null,
      purged bigint not null,
      cutoff timestamptz not null
    )`.execute(db);
  // The sealer's own note of how far it has sealed: deleting the newest rows, or adding rows past it
  // with seqs the sealer never gave out, no longer passes for a shorter or longer intact chain.
  await sql`
    create table audit_chain_head (
      only_row boolean primary key default true check (only_row),
      seq bigint not null,
      hash text not null,
      sealed_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists audit_chain_head`.execute(db);
  await sql`drop table if exists audit_chain_anchors`.execute(db);
  await sql`drop index if exists audit_log_unsealed_idx`.execute(db);
  await sql`drop index if exists audit_log_chain_seq_idx`.execute(db);
  await sql`alter table audit_log drop column chain_seq, drop column chain_alg, drop column chain_prev, drop column chain_hash`.execute(db);
}
