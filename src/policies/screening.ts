import type { ScreeningScope as ReviewScope } from '../modules/screening/tables.ts';
import { type Refusal, allow } from './access.ts';
import type { Actor } from './actor.ts';
import { CHIEF_EDITOR_AND_UP, EDITOR_AND_UP } from './roles.ts';
import { actsAtRoot } from './tree.ts';

/** 智能审核 (automatic screening): who manages lexicons, allow-lists and wording packs, who sees alerts. */

type Scoped = { scope: ReviewScope; unit_id: string };

/** The alliance admin acting at the root unit: the only one who edits what applies to every unit. */
export const isRootAdmin = (actor: Actor) => actor.role === 'alliance_admin' && actsAtRoot(actor);

const manages = (actor: Actor, target: Scoped) => (target.scope === 'alliance' ? isRootAdmin(actor) : target.unit_id === actor.unitId && CHIEF_EDITOR_AND_UP.has(actor.role));

const manageRefusal = (scope: ReviewScope): Refusal =>
  scope === 'alliance'
    ? { zh: '联合体词库与规则只能由联合体管理员维护', en: 'Only the alliance admin manages alliance-wide lexicons and packs' }
    : { zh: '本单位词库与规则由主编或单位管理员维护', en: "The unit's chief editor or admin manages its lexicons and packs" };

export const screeningConfig = {
  /** Lexicons, allow-lists and wording packs: the alliance's by the root admin, a unit's by its chief editor and admin. */
  manage: allow('screeningConfig.manage', (actor, target: Scoped) => manages(actor, target) || manageRefusal(target.scope)),
  /** Alliance-wide configuration is visible to all staff; a unit's own only to that unit. */
  read: allow('screeningConfig.read', (actor, target: Scoped) => target.scope === 'alliance' || target.unit_id === actor.unitId),
  list: allow('screeningConfig.list', () => true),
  /** Screening a text on demand is open to all staff. */
  screen: allow('screeningConfig.screen', () => true),
};

/** Patrol alerts are for the unit's editors and leaders (and supervisors, who only read). */
export const patrolAlert = {
  read: allow('patrolAlert.read', (actor) => EDITOR_AND_UP.has(actor.role) || actor.role === 'supervisor', ['只有编辑及以上可以查看巡查告警', 'Only editors and above see patrol alerts']),
  resolve: allow('patrolAlert.resolve', (actor) => EDITOR_AND_UP.has(actor.role), ['只有编辑及以上可以处理巡查告警', 'Only editors and above resolve patrol alerts']),
};

/**
 * 「不是问题」: an editor proposes that a finding is a false hit; a chief editor (or the unit's admin)
 * of the same unit decides, since an approved phrase is silenced for everyone in the unit.
 */
export const allowProposal = {
  propose: allow('allowProposal.propose', (actor) => EDITOR_AND_UP.has(actor.role), ['只有编辑及以上可以标记“不是问题”', 'Only editors and above mark a finding as not a problem']),
  read: allow('allowProposal.read', (actor) => EDITOR_AND_UP.has(actor.role), ['只有编辑及以上可以查看“不是问题”申请', 'Only editors and above see not-a-problem requests']),
  decide: allow('allowProposal.decide', (actor) => CHIEF_EDITOR_AND_UP.has(actor.role), ['“不是问题”须由主编确认', 'A chief editor decides not-a-problem requests']),
};
