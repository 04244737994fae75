import { allow } from './access.ts';
import { EDITOR_AND_UP, NEWSROOM } from './roles.ts';

/** 报纸版面: the unit's newsroom sees its pool and pages; editors and above lay pages out. */
export const print = {
  read: allow('print.read', (actor) => NEWSROOM.has(actor.role), ['只有本单位采编人员可以查看版面', "Only the unit's newsroom may see its pages"]),
  layout: allow('print.layout', (actor) => EDITOR_AND_UP.has(actor.role), ['只有编辑及以上可以组版', 'Only editors and above may lay out pages']),
};
