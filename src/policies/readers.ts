import { allow } from './access.ts';
import { type Actor, type UnitPlace, activeUnit } from './actor.ts';
import { roles } from './roles.ts';
import { inActorSubtree } from './tree.ts';

/**
 * 用户库, from the staff side: staff see readers only as counts. Counts need an oversight or editorial-lead
 * role; one reader's record (for a support case) only the alliance admin, and every look is audited.
 */

const STATS = roles('alliance_admin', 'supervisor', 'unit_admin', 'chief_editor');
const looksUp = (actor: Actor) => actor.role === 'alliance_admin';

export const readerStats = {
  read: allow('readerStats.read', (actor) => STATS.has(actor.role), ['只有管理员、监管和主编可以查看读者统计', 'Only admins, supervisors and chief editors may see reader statistics']),
  /** Statistics of the actor's unit or one below it. */
  readUnit: allow('readerStats.readUnit', inActorSubtree, ['只能查看本单位及下级单位的读者统计', 'Only your own unit and the units below it']),
};

export const reader = {
  lookUp: allow('reader.lookUp', looksUp, ['只有联合体管理员可以查看单个读者', 'Only the alliance admin may look up a single reader']),
  /**
   * One reader's record belongs to the unit the reader registered with (the controller of that data under
   * PIPL), so an alliance admin below the root sees only readers registered in its subtree. Following a
   * unit or living in its county is not enough: it lets the unit count the reader, never read the record.
   */
  lookUpOne: allow('reader.lookUpOne', (actor, registeredAt: UnitPlace) => looksUp(actor) && inActorSubtree(actor, registeredAt)),
};

/** Whose readers an actor counts: readers registered at, or following, a unit of the actor's subtree. */
export const readerScope = (actor: Actor) => ({ unit: activeUnit(actor), subtree: true });
