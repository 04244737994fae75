import type { Actor } from '../../policies/index.ts';
import type { ScreeningScope } from './tables.ts';

/** Where a lexicon, allow-list entry or pack of the given scope lives: the root unit, or the caller's own. */
export const ownerOf = (scope: ScreeningScope, rootId: string, actor: Actor) => (scope === 'alliance' ? rootId : actor.unitId);
