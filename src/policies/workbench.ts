import { allow } from './access.ts';
import type { Actor } from './actor.ts';
import { type ReviewPolicy, mayActAt } from './review-chain.ts';
import { OVERSIGHT } from './roles.ts';

/**
 * 工作台: the console's landing page. Everyone has one; what it shows follows the role held in the active
 * unit, so a person with several memberships sees the sections of the one they act as.
 *
 *   mine      a reporter's own stories (drafts, returned, in review, published today) and tasks assigned to them
 *   review    what waits for the actor at a level of the unit's 三审 chain their role may act at, and today's 签发
 *   pipeline  a unit admin's view of the whole unit: items per state, failed channel deliveries, staff
 *   subtree   oversight (监管, 联合体管理员): activity per child unit of the subtree
 */
export type WorkbenchSection = 'mine' | 'review' | 'pipeline' | 'subtree';

export function workbenchSections(actor: Actor, policy: ReviewPolicy): WorkbenchSection[] {
  if (OVERSIGHT.has(actor.role)) return ['subtree'];
  const reviews = policy.levels.some((_, i) => mayActAt(policy, i + 1, actor.role));
  const sections: WorkbenchSection[] = [];
  // An editor whose unit's chain names them nowhere still writes: they get a reporter's view.
  if (actor.role === 'reporter' || (!reviews && actor.role !== 'unit_admin')) sections.push('mine');
  if (reviews) sections.push('review');
  if (actor.role === 'unit_admin') sections.push('pipeline');
  return sections;
}

export const workbench = {
  /** Each section reads only the actor's own unit (or, for oversight, its subtree). */
  read: allow('workbench.read', () => true),
};
