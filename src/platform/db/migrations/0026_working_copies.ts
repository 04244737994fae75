import { type Kysely, sql } from 'kysely';

// Autosaves no longer number revisions: each person's unsaved typing is kept as their working copy of
// the item (the fields that differ from the revision it started from), and a revision is numbered only
// when someone saves with intent (保存, 提交, restore). A story with one round of edits used to reach
// review as 第 7 版. Revisions autosaved before this stay numbered as they are.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table content_working_copies (
      unit_id uuid not null,
      item_id uuid not null,
      author_id uuid not null references users(id) on delete cascade,
      base_revision int not null,
      changes jsonb not null,
      saved_at timestamptz not null default now(),
      primary key (unit_id, item_id, author_id),
      foreign key (unit_id, item_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists content_working_copies`.execute(db);
}
