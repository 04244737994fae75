import { allow } from './access.ts';
import { roles } from './roles.ts';

/**
 * 门户编排: the 头条, the 专题 strip and the order of the 栏目 on a unit's portal home are that unit's
 * editorial choice, made by its editors, chief editors and its admin — never by another unit, not even
 * a parent or the alliance admin (as with 推荐位). Reporters write stories; they do not arrange the home.
 */
const CURATORS = roles('editor', 'chief_editor', 'unit_admin');

export const portalHome = {
  curate: allow('portal.curate', (actor, unitId: string) => actor.unitId === unitId && CURATORS.has(actor.role), ['只有本单位的编辑、主编或管理员可以编排门户首页', "Only the unit's editors, chief editors or admin arrange its portal home"]),
};
