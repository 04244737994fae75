import type { Actor } from '../alliance/policy.ts';

/** 版面权限: the unit's newsroom sees its pool and pages; editors and above lay pages out. */
const newsroom = new Set(['reporter', 'editor', 'chief_editor', 'unit_admin', 'alliance_admin']);
const layout = new Set(['editor', 'chief_editor', 'unit_admin', 'alliance_admin']);

export const canReadPrint = (actor: Actor) => newsroom.has(actor.role);
export const canLayout = (actor: Actor) => layout.has(actor.role);
