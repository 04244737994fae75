import { allow } from './access.ts';
import type { Actor, UnitPlace } from './actor.ts';
import { ADMINS, CHIEF_EDITOR_AND_UP, EDITOR_AND_UP, NEWSROOM, OVERSEERS, OVERSIGHT } from './roles.ts';
import { inActorSubtree, isWithin } from './tree.ts';

/** 协同: 选题 (topics) and 派单 (tasks) across units, and the unit's webhooks. */

type Topic = { unit_id: string; proposed_by: string | null };
type Task = { unit_id: string; from_unit_id: string; assignee_user_id: string | null };

/** 选题 approval belongs to the proposing unit's chief editor and leaders. */
const decides = (actor: Actor, topic: { unit_id: string }) => topic.unit_id === actor.unitId && CHIEF_EDITOR_AND_UP.has(actor.role);

export const topic = {
  propose: allow('topic.propose', (actor) => NEWSROOM.has(actor.role), ['监管账号不能报选题', 'Supervisors do not propose topics']),
  /** A topic is seen by the units taking part in it and by overseers above the proposing unit. */
  read: allow('topic.read', (actor, t: { unit: UnitPlace; units: readonly string[] }) => t.unit.id === actor.unitId || t.units.includes(actor.unitId) || (OVERSIGHT.has(actor.role) && inActorSubtree(actor, t.unit))),
  list: allow('topic.list', () => true),
  /** The proposer revises a topic, as do those who decide it. */
  update: allow('topic.update', (actor, t: Topic) => t.proposed_by === actor.userId || decides(actor, t)),
  decide: allow('topic.decide', decides, ['只有本单位主编及以上可以审定选题', "Only the unit's chief editor and leaders decide topics"]),
  /** An item is linked to a topic by its own unit or the topic's. */
  link: allow('topic.link', (actor, l: { itemUnitId: string; topicUnitId: string }) => l.itemUnitId === actor.unitId || l.topicUnitId === actor.unitId),
};

export const task = {
  assign: allow('task.assign', (actor) => EDITOR_AND_UP.has(actor.role), ['只有编辑及以上可以派单', 'Only editors and above assign tasks']),
  /** Tasks go down the tree (province → city → county), up it (county asks the city), or within the unit; siblings go through their parent. */
  assignTo: allow('task.assignTo', (_actor, p: { own: UnitPlace; target: UnitPlace }) => isWithin(p.target, p.own) || isWithin(p.own, p.target), ['只能向本单位、上级或下级单位派单', 'Tasks go to your own unit, or up or down its branch of the tree']),
  handOverTo: allow('task.handOverTo', (_actor, p: { own: UnitPlace; target: UnitPlace }) => isWithin(p.target, p.own) || isWithin(p.own, p.target), ['只能转交给本单位、上级或下级单位', 'Hand over within the unit, or up or down its branch']),
  /** The named assignee acts on a task; a task for a whole unit is any of its newsroom staff's to take. */
  work: allow('task.work', (actor, t: Task) => (t.assignee_user_id ? t.assignee_user_id === actor.userId : t.unit_id === actor.unitId && NEWSROOM.has(actor.role))),
  cancel: allow('task.cancel', (actor, t: Task) => t.from_unit_id === actor.unitId && EDITOR_AND_UP.has(actor.role)),
  /** Overseers follow every task in their subtree; otherwise only the two units a task connects. */
  read: allow('task.read', (actor, t: { unit: UnitPlace; from: UnitPlace }) => t.unit.id === actor.unitId || t.from.id === actor.unitId || (OVERSIGHT.has(actor.role) && (inActorSubtree(actor, t.unit) || inActorSubtree(actor, t.from)))),
  list: allow('task.list', () => true),
  /** The whole subtree's tasks at once. */
  listSubtree: allow('task.listSubtree', (actor) => OVERSEERS.has(actor.role), ['只有管理员和监管可以查看全辖任务', 'Only admins and supervisors see tasks across the subtree']),
};

/** 单位 webhooks push the unit's events to its own systems: its admins manage them. */
export const webhook = {
  manage: allow('webhook.manage', (actor) => ADMINS.has(actor.role), ['只有单位管理员可以管理事件回调', 'Only unit admins manage webhooks']),
};

/** Notifications are one's own. */
export const notification = {
  own: allow('notification.own', () => true),
};
