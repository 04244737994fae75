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

export function mayActAt(policy: ReviewPolicy, level: number, role: Role): boolean {
  return policy.levels[level - 1]?.roles.includes(role) ?? false;
}

/** Who may schedule, publish and retract once the chain has signed off. */
export const publisherRoles: readonly Role[] = ['chief_editor', 'unit_admin', 'alliance_admin'];

/** Who may let an item pass a blocking automatic finding, with a reason on record. */
export const overrideRoles: readonly Role[] = ['chief_editor', 'unit_admin', 'alliance_admin'];
