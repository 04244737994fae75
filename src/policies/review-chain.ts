import type { Role } from '../modules/alliance/roles.ts';
import { roleLabels } from '../modules/alliance/roles.ts';
import type { ReviewLevel } from '../modules/newsroom/tables.ts';
import type { ItemType } from '../modules/content/tables.ts';
import { type Refusal, allow } from './access.ts';
import type { Actor } from './actor.ts';
import { ADMINS, CHIEF_EDITOR_AND_UP, NEWSROOM, OVERSIGHT, roles } from './roles.ts';

/**
 * 三审: every item passes 初审 by an editor, 复审 by the chief editor and 终审 by the unit's leader (its
 * admin) before it is signed off (签发), unless the unit's own chain says otherwise. Then chief editors and
 * up publish it. Nobody reviews their own work, and each level needs a different person.
 */

export const defaultLevels: ReviewLevel[] = [
  { name: '初审', roles: ['editor', 'chief_editor', 'unit_admin'] },
  { name: '复审', roles: ['chief_editor', 'unit_admin'] },
  { name: '终审', roles: ['unit_admin'] },
];

export interface ReviewPolicy {
  levels: ReviewLevel[];
  editReturnsTo: 'first' | 'same' | 'draft';
}

export const defaultPolicy: ReviewPolicy = { levels: defaultLevels, editReturnsTo: 'first' };

/** The first level at or after `from` (1-based) that applies to this content type, or null past the end. */
export function levelFrom(policy: ReviewPolicy, from: number, type: ItemType): number | null {
  for (let n = from; n <= policy.levels.length; n++) {
    if (!policy.levels[n - 1]!.skipTypes?.includes(type)) return n;
  }
  return null;
}

/**
 * Oversight roles (监管, 联合体管理员) watch the chain from outside and never act in it: a unit's policy
 * may not name them, and a level that still does (a row saved before this rule) does not let them act.
 */
export const oversightRoles: readonly Role[] = [...OVERSIGHT];

export function mayActAt(policy: ReviewPolicy, level: number, role: Role): boolean {
  if (OVERSIGHT.has(role)) return false;
  return policy.levels[level - 1]?.roles.includes(role) ?? false;
}

/** The first level of a policy naming an oversight role, with the roles it names, or null when there is none. */
export function oversightInPolicy(policy: ReviewPolicy): { level: number; name: string; roles: Role[] } | null {
  for (const [i, l] of policy.levels.entries()) {
    const named = l.roles.filter((r) => OVERSIGHT.has(r));
    if (named.length) return { level: i + 1, name: l.name, roles: named };
  }
  return null;
}

/** Who may schedule, publish and retract once the chain has signed off. */
export const PUBLISHERS = CHIEF_EDITOR_AND_UP;
/** Who may let an item pass a blocking automatic finding, with a reason on record. */
export const OVERRIDERS = roles('chief_editor', 'unit_admin', 'alliance_admin');

/** What a move needs to know about the item and its place in the chain. */
export interface ChainMove {
  item: { unit_id: string; created_by: string | null };
  /** Who the move is for: the item's newsroom, whoever the chain names at the current level, or a publisher. */
  by: 'author' | 'reviewer' | 'publisher';
  approving: boolean;
  policy: ReviewPolicy;
  level: number;
  /** Everyone who wrote a revision of the item. */
  authors: readonly string[];
  /** Everyone who approved the item in this round. */
  approvers: readonly string[];
}

function refuseMove(actor: Actor, m: ChainMove): Refusal | true {
  if (m.item.unit_id !== actor.unitId) return { zh: '只能处理本单位的稿件', en: "Only the item's own unit moves it through review" };
  if (m.by === 'author') return NEWSROOM.has(actor.role) || { zh: '无权执行此操作', en: 'You are not allowed to do this' };
  if (m.by === 'publisher') return PUBLISHERS.has(actor.role) || { zh: '只有主编及以上可以发布、定时或撤稿', en: 'Only chief editors and above publish, schedule or retract' };
  if (OVERSIGHT.has(actor.role)) {
    return { zh: `${roleLabels[actor.role].zh}只监督审核流程，不能审核或签发`, en: `${roleLabels[actor.role].en}s oversee the review chain and never approve or sign off` };
  }
  if (!mayActAt(m.policy, m.level, actor.role)) {
    const name = m.policy.levels[m.level - 1]?.name ?? `第${m.level}级`;
    return { zh: `你的角色不能在「${name}」审核`, en: `Your role may not act at review level ${m.level} (${name})` };
  }
  if (m.item.created_by === actor.userId || m.authors.includes(actor.userId)) return { zh: '不能审核自己写或改过的稿件', en: 'Nobody reviews their own work' };
  if (m.approving && m.approvers.includes(actor.userId)) return { zh: '同一篇稿件的各级审核须由不同的人完成', en: 'Each review level needs a different person' };
  return true;
}

export const reviewChain = {
  /** Move an item along the chain (submit, approve, return, reject, schedule, publish, retract, reopen). */
  move: allow('reviewChain.move', refuseMove),
  /** The actor's role sits at the item's current level of its own unit's chain (the review buttons show; the move may still be refused). */
  reviewAtLevel: allow('reviewChain.reviewAtLevel', (actor, at: { unit_id: string; policy: ReviewPolicy; level: number }) => at.unit_id === actor.unitId && mayActAt(at.policy, at.level, actor.role)),
  /** Let a blocking automatic finding pass, with a reason. */
  override: allow('reviewChain.override', (actor) => OVERRIDERS.has(actor.role), ['只有主编及以上可以放行自动审核拦截的问题', 'Only chief editors and above may override blocking findings']),
  /** A unit's chain is set by its admin. */
  setPolicy: allow('reviewChain.setPolicy', (actor) => ADMINS.has(actor.role), ['只有单位管理员可以设置审核流程', 'Only unit admins set the review chain']),
  /** The chain, the timeline and the queue are open to staff who may see the item. */
  read: allow('reviewChain.read', () => true),
};
