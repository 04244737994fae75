import type { Db } from '../../platform/db/database.ts';
import { selectItems } from '../content/queries.ts';

/** SQL of topics (选题) and tasks (派单). */

export interface NewTopic {
  unitId: string;
  title: string;
  angle: string | null;
  channels: string[];
  resources: string | null;
  deadline: string | null;
  proposedBy: string;
  joint: boolean;
}

export function insertTopic(db: Db, t: NewTopic) {
  return db
    .insertInto('topics')
    .values({
      unit_id: t.unitId,
      title: t.title,
      angle: t.angle,
      channels: t.channels,
      resources: t.resources,
      deadline: t.deadline,
      proposed_by: t.proposedBy,
      joint: t.joint,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findTopic(db: Db, id: string) {
  return db.selectFrom('topics').selectAll().where('id', '=', id).executeTakeFirst();
}

export function updateTopic(db: Db, id: string, fields: Partial<{ title: string; angle: string | null; channels: string[]; resources: string | null; deadline: string | null; status: 'proposed' | 'approved' | 'returned' | 'rejected' | 'done'; joint: boolean; decision_reason: string | null; decided_by: string | null; decided_at: Date | null }>) {
  return db.updateTable('topics').set({ ...fields, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function setTopicUnits(db: Db, topicId: string, unitIds: string[]) {
  await db.deleteFrom('topic_units').where('topic_id', '=', topicId).execute();
  if (unitIds.length) await db.insertInto('topic_units').values(unitIds.map((unit_id) => ({ unit_id, topic_id: topicId }))).execute();
}

export function topicUnits(db: Db, topicIds: string[]) {
  if (!topicIds.length) return Promise.resolve([]);
  return db
    .selectFrom('topic_units as tu')
    .innerJoin('units as u', 'u.id', 'tu.unit_id')
    .select(['tu.topic_id', 'tu.unit_id', 'u.name as unit_name'])
    .where('tu.topic_id', 'in', topicIds)
    .execute();
}

/** A unit's board: its own topics; the joint board: every joint topic the unit takes part in. */
export function listTopics(db: Db, unitId: string, board: 'unit' | 'joint', status?: string) {
  let q = db.selectFrom('topics as t').innerJoin('units as u', 'u.id', 't.unit_id').selectAll('t').select('u.name as unit_name');
  q =
    board === 'unit'
      ? q.where('t.unit_id', '=', unitId)
      : q.where('t.joint', '=', true).where((eb) => eb.or([eb('t.unit_id', '=', unitId), eb.exists(eb.selectFrom('topic_units as tu').select('tu.topic_id').whereRef('tu.topic_id', '=', 't.id').where('tu.unit_id', '=', unitId))]));
  if (status) q = q.where('t.status', '=', status as 'proposed');
  return q.orderBy('t.updated_at', 'desc').limit(200).execute();
}

export async function linkItem(db: Db, unitId: string, topicId: string, itemId: string, by: string) {
  await db.insertInto('topic_items').values({ unit_id: unitId, topic_id: topicId, item_id: itemId, linked_by: by }).onConflict((oc) => oc.doNothing()).execute();
}

export function topicItems(db: Db, topicIds: string[]) {
  if (!topicIds.length) return Promise.resolve([]);
  return selectItems(db)
    .innerJoin('topic_items as ti', 'ti.item_id', 'i.id')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .select(['ti.topic_id', 'i.id', 'i.title', 'i.status', 'i.unit_id', 'u.name as unit_name', 'ti.linked_at'])
    .where('ti.topic_id', 'in', topicIds)
    .orderBy('ti.linked_at')
    .execute();
}

// Tasks

export function insertTask(
  db: Db,
  t: { assigneeUnitId: string; fromUnitId: string; topicId: string | null; title: string; description: string | null; assigneeUserId: string | null; dueAt: string | null; createdBy: string },
) {
  return db
    .insertInto('tasks')
    .values({
      unit_id: t.assigneeUnitId,
      from_unit_id: t.fromUnitId,
      topic_id: t.topicId,
      title: t.title,
      description: t.description,
      assignee_user_id: t.assigneeUserId,
      due_at: t.dueAt,
      created_by: t.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findTask(db: Db, id: string, opts: { lock?: boolean } = {}) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('id', '=', id)
    .$if(!!opts.lock, (q) => q.forUpdate())
    .executeTakeFirst();
}

export function updateTask(
  db: Db,
  id: string,
  fields: Partial<{ unit_id: string; assignee_user_id: string | null; status: 'open' | 'accepted' | 'declined' | 'done' | 'cancelled'; decline_reason: string | null; item_id: string | null; reminded_at: Date | null; due_at: string | null }>,
) {
  return db.updateTable('tasks').set({ ...fields, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export type TaskView = 'mine' | 'unit' | 'sent' | 'alliance';

export function listTasks(db: Db, v: { view: TaskView; userId: string; unitId: string; unitPath: string; status?: string; topicId?: string }) {
  let q = db
    .selectFrom('tasks as t')
    .innerJoin('units as au', 'au.id', 't.unit_id')
    .innerJoin('units as fu', 'fu.id', 't.from_unit_id')
    .leftJoin('users as a', 'a.id', 't.assignee_user_id')
    .selectAll('t')
    .select(['au.name as unit_name', 'fu.name as from_unit_name', 'a.display_name as assignee_name']);
  if (v.view === 'mine') q = q.where('t.assignee_user_id', '=', v.userId);
  if (v.view === 'unit') q = q.where('t.unit_id', '=', v.unitId);
  if (v.view === 'sent') q = q.where('t.from_unit_id', '=', v.unitId);
  if (v.view === 'alliance') {
    q = q.where((eb) =>
      eb.or([eb('au.id', '=', v.unitId), eb('au.path', 'like', `${v.unitPath}/%`), eb('fu.id', '=', v.unitId), eb('fu.path', 'like', `${v.unitPath}/%`)]),
    );
  }
  if (v.status) q = q.where('t.status', '=', v.status as 'open');
  if (v.topicId) q = q.where('t.topic_id', '=', v.topicId);
  return q.orderBy('t.due_at', 'asc').orderBy('t.created_at', 'desc').limit(500).execute();
}

export function tasksDueSoon(db: Db, before: Date) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('status', 'in', ['open', 'accepted'])
    .where('due_at', '<=', before)
    .where('reminded_at', 'is', null)
    .execute();
}
