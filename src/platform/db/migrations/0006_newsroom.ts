import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 三审三校: the review policy of a unit. Without a row the default three levels apply.
  await sql`
    create table review_policies (
      unit_id uuid primary key references units(id),
      levels jsonb not null,
      edit_returns_to text not null default 'first' check (edit_returns_to in ('first','same','draft')),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);

  // Where an item stands in its unit's review chain, and what was signed off and published.
  await sql`
    create table review_states (
      unit_id uuid not null,
      item_id uuid not null,
      level int not null default 1,
      round int not null default 1,
      signed_off_revision int,
      signed_off_by uuid references users(id),
      signed_off_at timestamptz,
      publish_at timestamptz,
      published_revision int,
      published_at timestamptz,
      correction_note text,
      primary key (unit_id, item_id),
      foreign key (unit_id, item_id) references content_items(unit_id, id) on delete cascade
    )`.execute(db);

  // Every state change of an item: the timeline shown to editors, and the record of who approved what.
  await sql`
    create table item_transitions (
      unit_id uuid not null,
      id bigint generated always as identity,
      item_id uuid not null,
      action text not null,
      from_status text not null,
      to_status text not null,
      level int,
      round int not null,
      revision int not null,
      actor_id uuid references users(id),
      comment text,
      override_reason text,
      findings jsonb,
      at timestamptz not null default now(),
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create index item_transitions_item_idx on item_transitions (item_id, id)`.execute(db);

  // 选题: story ideas, approved by the chief editor before work starts; joint ones span several units.
  await sql`
    create table topics (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      title text not null,
      angle text,
      channels text[] not null default '{}',
      resources text,
      deadline timestamptz,
      status text not null default 'proposed' check (status in ('proposed','approved','returned','rejected','done')),
      decision_reason text,
      decided_by uuid references users(id),
      decided_at timestamptz,
      proposed_by uuid references users(id),
      joint boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create unique index topics_id_idx on topics (id)`.execute(db);
  await sql`
    create table topic_units (
      unit_id uuid not null references units(id),
      topic_id uuid not null references topics(id) on delete cascade,
      primary key (unit_id, topic_id)
    )`.execute(db);
  await sql`
    create table topic_items (
      unit_id uuid not null,
      topic_id uuid not null references topics(id) on delete cascade,
      item_id uuid not null references content_items(id) on delete cascade,
      linked_by uuid references users(id),
      linked_at timestamptz not null default now(),
      primary key (unit_id, topic_id, item_id)
    )`.execute(db);

  // 派单: work for a person or a whole unit, possibly in another unit. unit_id is the assignee unit.
  await sql`
    create table tasks (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      from_unit_id uuid not null references units(id),
      topic_id uuid references topics(id) on delete set null,
      title text not null,
      description text,
      assignee_user_id uuid references users(id),
      status text not null default 'open' check (status in ('open','accepted','declined','done','cancelled')),
      due_at timestamptz,
      decline_reason text,
      item_id uuid references content_items(id) on delete set null,
      created_by uuid references users(id),
      reminded_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create unique index tasks_id_idx on tasks (id)`.execute(db);
  await sql`create index tasks_from_idx on tasks (from_unit_id, status)`.execute(db);
  await sql`create index tasks_assignee_idx on tasks (assignee_user_id, status)`.execute(db);

  // Soft edit locks: visible holder, heartbeat-extended, taken over on purpose.
  await sql`
    create table edit_locks (
      unit_id uuid not null,
      item_id uuid not null references content_items(id) on delete cascade,
      holder_id uuid not null references users(id),
      acquired_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (unit_id, item_id)
    )`.execute(db);

  // Editorial comments anchored to a passage of a revision.
  await sql`
    create table item_comments (
      unit_id uuid not null,
      id uuid not null default gen_random_uuid(),
      item_id uuid not null references content_items(id) on delete cascade,
      revision int not null,
      anchor_from int,
      anchor_to int,
      quote text,
      body text not null,
      mentions uuid[] not null default '{}',
      author_id uuid references users(id),
      resolved boolean not null default false,
      created_at timestamptz not null default now(),
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create index item_comments_item_idx on item_comments (item_id, created_at)`.execute(db);

  // In-app inbox; unit_id is the unit the event belongs to.
  await sql`
    create table notifications (
      unit_id uuid not null references units(id),
      id bigint generated always as identity,
      user_id uuid not null references users(id),
      kind text not null,
      title text not null,
      body text,
      link text,
      read_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (unit_id, id)
    )`.execute(db);
  await sql`create index notifications_user_idx on notifications (user_id, id desc)`.execute(db);

  // Outbound webhooks per unit, signed with the hook's secret.
  await sql`
    create table unit_webhooks (
      unit_id uuid not null references units(id),
      id uuid not null default gen_random_uuid(),
      url text not null,
      secret text not null,
      events text[] not null,
      active boolean not null default true,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      last_status int,
      last_error text,
      primary key (unit_id, id)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['unit_webhooks', 'notifications', 'item_comments', 'edit_locks', 'tasks', 'topic_items', 'topic_units', 'topics', 'item_transitions', 'review_states', 'review_policies']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
