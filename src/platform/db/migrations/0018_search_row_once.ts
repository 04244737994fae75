import { type Kysely, sql } from 'kysely';

// The index row of a new item was written twice: empty by the mirror trigger when the item was inserted,
// then filled by the save listener in the same transaction. The first version's space stayed in the heap
// (33% of content_search free after a 100k-item load, measured), and a search visits nearly every page.
// Now the save listener inserts the row whole (search.repo.ts writeIndex), and the insert trigger is
// deferred to commit, where it only makes a row for an item that has none (and fixes a mirror that is
// not exact, reading the item as committed). Updates of mirrored columns are mirrored at once as before,
// and an upsert that would change nothing writes nothing.
const MIRRORED = ['unit_id', 'type', 'status', 'category', 'region_code', 'share_scope', 'share_unit_ids', 'created_by', 'created_at', 'updated_at'];

export async function up(db: Kysely<unknown>): Promise<void> {
  const cols = sql.raw(MIRRORED.join(', '));
  const setExcluded = sql.raw(MIRRORED.map((c) => `${c} = excluded.${c}`).join(', '));
  const changed = sql.raw(`(${MIRRORED.map((c) => `content_search.${c}`).join(', ')}) is distinct from (${MIRRORED.map((c) => `excluded.${c}`).join(', ')})`);
  await sql`drop trigger content_search_mirror on content_items`.execute(db);
  await sql`
    create or replace function content_search_mirror() returns trigger language plpgsql as $$
    begin
      insert into content_search (id, ${cols}) select id, ${cols} from content_items where id = new.id
      on conflict (id) do update set ${setExcluded} where ${changed};
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger content_search_mirror_insert after insert on content_items
    deferrable initially deferred for each row execute function content_search_mirror()`.execute(db);
  await sql`
    create trigger content_search_mirror after update of ${cols} on content_items
    for each row execute function content_search_mirror()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const cols = sql.raw(MIRRORED.join(', '));
  const fromNew = sql.raw(MIRRORED.map((c) => `new.${c}`).join(', '));
  const setExcluded = sql.raw(MIRRORED.map((c) => `${c} = excluded.${c}`).join(', '));
  await sql`drop trigger content_search_mirror_insert on content_items`.execute(db);
  await sql`drop trigger content_search_mirror on content_items`.execute(db);
  await sql`
    create or replace function content_search_mirror() returns trigger language plpgsql as $$
    begin
      insert into content_search (id, ${cols}) values (new.id, ${fromNew})
      on conflict (id) do update set ${setExcluded};
      return null;
    end $$`.execute(db);
  await sql`
    create trigger content_search_mirror after insert or update of ${cols} on content_items
    for each row execute function content_search_mirror()`.execute(db);
}
