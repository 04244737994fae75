import { type Kysely, sql } from 'kysely';

// The unit a person last chose in the console's unit switcher, so the next sign-in opens there instead of at
// their first membership. A unit that goes away (or a membership that ends) simply falls back to the first.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column last_unit_id uuid references units(id) on delete set null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users drop column if exists last_unit_id`.execute(db);
}
