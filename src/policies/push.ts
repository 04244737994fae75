import { allow } from './access.ts';
import type { Actor } from './actor.ts';
import { ADMINS, CHIEF_EDITOR_AND_UP } from './roles.ts';
import { inActorSubtree } from './tree.ts';

/**
 * 精准推送 reaches the public in the unit's name, so only those who answer for what a unit publishes may
 * build segments and send: the unit's admin and chief editor, and the alliance admin. Supervisors may look.
 * A unit pushes to readers registered at, or following, a unit of its subtree.
 */

const pushes = (actor: Actor) => CHIEF_EDITOR_AND_UP.has(actor.role);
const sees = (actor: Actor) => pushes(actor) || actor.role === 'supervisor';

export const segment = {
  read: allow('segment.read', sees, ['无权查看推送人群', 'You may not see push segments']),
  create: allow('segment.create', pushes, ['无权建立推送人群', 'You may not build push segments']),
  update: allow('segment.update', pushes, ['无权修改推送人群', 'You may not change push segments']),
  delete: allow('segment.delete', pushes, ['无权删除推送人群', 'You may not delete push segments']),
};

export const campaign = {
  read: allow('campaign.read', sees, ['无权查看推送', 'You may not see pushes']),
  send: allow('campaign.send', pushes, ['无权发起推送', 'You may not send pushes']),
  cancel: allow('campaign.cancel', pushes, ['无权取消推送', 'You may not cancel pushes']),
};

/** A unit's JPush/Getui apps hold its credentials: admins only. */
export const pushApp = {
  read: allow('pushApp.read', sees),
  manage: allow('pushApp.manage', (actor) => ADMINS.has(actor.role), ['只有管理员可以设置推送应用', 'Only admins may set up push apps']),
};

/** The unit a push acts for, and a segment or campaign row it touches: the actor's own or one below it. */
export const pushUnit = {
  actFor: allow('pushUnit.actFor', inActorSubtree, ['只能向本单位及下级单位的读者推送', 'Only your own unit and the units below it']),
  see: allow('pushUnit.see', inActorSubtree),
};
