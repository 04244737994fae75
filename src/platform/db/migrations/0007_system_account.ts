import { type Kysely, sql } from 'kysely';

// The platform's own account, for work done by no person (the scheduler, the demo seed). It cannot
// sign in: it is inactive and its password hash matches no password.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into users (id, username, display_name, password_hash, active)
    values ('00000000-0000-4000-8000-000000000001', 'system', '系统', '!', false)
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from users where id = '00000000-0000-4000-8000-000000000001'`.execute(db);
}
