import type { Role } from '../alliance/roles.ts';
import type { ItemType } from '../content/tables.ts';
import type { ReviewLevel } from './tables.ts';

/** 三审: 初审 by an editor, 复审 by the chief editor, 终审 by the unit's leader (its admin). */
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
export const oversightRoles: readonly Role[] = ['supervisor', 'alliance_admin'];

export function mayActAt(policy: ReviewPolicy, level: number, role: Role): boolean {
  if (oversightRoles.includes(role)) return false;
  return policy.levels[level - 1]?.roles.includes(role) ?? false;
}

/** The first level of a policy naming an oversight role, with the roles it names, or null when there is none. */
export function oversightInPolicy(policy: ReviewPolicy): { level: number; name: string; roles: Role[] } | null {
  for (const [i, l] of policy.levels.entries()) {
    const roles = l.roles.filter((r) => oversightRoles.includes(r));
    if (roles.length) return { level: i + 1, name: l.name, roles };
  }
  return null;
}

/** Who may schedule, publish and retract once the chain has signed off. */
export const publisherRoles: readonly Role[] = ['chief_editor', 'unit_admin', 'alliance_admin'];

/** Who may let an item pass a blocking automatic finding, with a reason on record. */
export const overrideRoles: readonly Role[] = ['chief_editor', 'unit_admin', 'alliance_admin'];
