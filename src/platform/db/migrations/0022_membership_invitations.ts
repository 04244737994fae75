import { type Kysely, sql } from 'kysely';

// 邀请加入单位: adding an existing account to another unit is an invitation the person accepts, unless
// the admin already manages every unit the account belongs to. One pending invitation per unit and person.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table membership_invitations (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      user_id uuid not null references users(id),
      role text not null check (role in ('reporter','editor','chief_editor','unit_admin','supervisor','alliance_admin')),
      status text not null default 'pending' check (status in ('pending','accepted','declined','cancelled','expired')),
      invited_by uuid references users(id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      decided_at timestamptz,
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create unique index membership_invitations_id_idx on membership_invitations (id)`.execute(db);
  await sql`create unique index membership_invitations_one_pending on membership_invitations (unit_id, user_id) where status = 'pending'`.execute(db);
  await sql`create index membership_invitations_user_idx on membership_invitations (user_id) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists membership_invitations`.execute(db);
}
