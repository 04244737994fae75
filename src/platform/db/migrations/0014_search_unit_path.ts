import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The unit's path beside each search row, so the tenancy filter's subtree and "shared with parents"
  // tests read a column instead of looking the unit up once per hit (a common word has 30,000 hits).
  // A trigger on content_search fills it whatever writes the row; one on units follows a move.
  await sql`alter table content_search add column unit_path text`.execute(db);
  await sql`update content_search s set unit_path = u.path from units u where u.id = s.unit_id`.execute(db);
  await sql`alter table content_search alter column unit_path set not null`.execute(db);
  await sql`
    create function content_search_unit_path() returns trigger language plpgsql as $$
    begin
      new.unit_path := (select path from units where id = new.unit_id);
      return new;
    end $$`.execute(db);
  await sql`
    create trigger content_search_unit_path before insert or update of unit_id on content_search
    for each row execute function content_search_unit_path()`.execute(db);
  await sql`
    create function units_path_to_search() returns trigger language plpgsql as $$
    begin
      update content_search set unit_path = new.path where unit_id = new.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger units_path_to_search after update of path on units
    for each row when (old.path is distinct from new.path) execute function units_path_to_search()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists units_path_to_search on units`.execute(db);
  await sql`drop function if exists units_path_to_search()`.execute(db);
  await sql`drop trigger if exists content_search_unit_path on content_search`.execute(db);
  await sql`drop function if exists content_search_unit_path()`.execute(db);
  await sql`alter table content_search drop column if exists unit_path`.execute(db);
}
