import type { Role } from '../modules/alliance/roles.ts';

/**
 * Role tiers. Each is a typed set: a misspelled role does not compile. Supervisors (监管) stand outside
 * the tiers: they read widely and never write.
 */
export const roles = (...names: Role[]): ReadonlySet<Role> => new Set(names);

/** Everyone who writes in a newsroom: all staff but supervisors. */
export const NEWSROOM = roles('reporter', 'editor', 'chief_editor', 'unit_admin', 'alliance_admin');
/** 编辑及以上. */
export const EDITOR_AND_UP = roles('editor', 'chief_editor', 'unit_admin', 'alliance_admin');
/** 主编及以上: those who answer for what a unit publishes. */
export const CHIEF_EDITOR_AND_UP = roles('chief_editor', 'unit_admin', 'alliance_admin');
/** A unit's administrators. */
export const ADMINS = roles('unit_admin', 'alliance_admin');
/** Oversight (监管, 联合体管理员): they watch a whole subtree. */
export const OVERSIGHT = roles('supervisor', 'alliance_admin');
/** Those who see beyond their own unit: admins and supervisors. */
export const OVERSEERS = roles('unit_admin', 'supervisor', 'alliance_admin');
