import { forbidden } from '../../platform/http/problem.ts';
import type { Actor } from '../alliance/policy.ts';
import type { ScreeningScope } from './tables.ts';

/** Where a lexicon, allow-list entry or pack of the given scope lives: the root unit, or the caller's own. */
export const ownerOf = (scope: ScreeningScope, rootId: string, actor: Actor) => (scope === 'alliance' ? rootId : actor.unitId);

/** The refusal when the caller may not manage configuration of this scope. */
export function cannotManage(scope: ScreeningScope) {
  return scope === 'alliance'
    ? forbidden('联合体词库与规则只能由联合体管理员维护', 'Only the alliance admin manages alliance-wide lexicons and packs')
    : forbidden('本单位词库与规则由主编或单位管理员维护', "The unit's chief editor or admin manages its lexicons and packs");
}
