import { allow } from './access.ts';
import type { Actor, UnitPlace } from './actor.ts';
import { inActorSubtree } from './tree.ts';

/**
 * 多元传播: channels and deliveries. A unit's admin configures its own channels, the alliance admin any
 * unit's below it; supervisors read in their subtree; chief editors read their unit's list to choose
 * channels when publishing, and retry its failed deliveries.
 */

const own = (actor: Actor, unit: UnitPlace) => unit.id === actor.unitId;

const configures = (actor: Actor, unit: UnitPlace) => (actor.role === 'alliance_admin' ? inActorSubtree(actor, unit) : actor.role === 'unit_admin' && own(actor, unit));

export const channel = {
  configure: allow('channel.configure', configures, ['只有本单位管理员或联合体管理员可以设置渠道', "Only the unit's admin or the alliance admin configure channels"]),
  read: allow(
    'channel.read',
    (actor, unit: UnitPlace) => configures(actor, unit) || (actor.role === 'supervisor' ? inActorSubtree(actor, unit) : actor.role === 'chief_editor' && own(actor, unit)),
    ['无权查看该单位的渠道', "You may not see this unit's channels"],
  ),
};

export const delivery = {
  /** A delivery's status is shown with the item it belongs to: whoever sees the item sees it. */
  read: allow('delivery.read', () => true),
  /** Retrying a failed delivery is a publishing decision: chief editors and up, of the item's unit. */
  retry: allow(
    'delivery.retry',
    (actor, unit: UnitPlace) => (actor.role === 'alliance_admin' ? inActorSubtree(actor, unit) : (actor.role === 'chief_editor' || actor.role === 'unit_admin') && own(actor, unit)),
    ['只有主编及以上可以重新投递', 'Only chief editors and above retry deliveries'],
  ),
  /** Another unit's delivery is "not found" to those who may not retry it, unless they administer the alliance. */
  see: allow('delivery.see', (actor, unit: UnitPlace) => unit.id === actor.unitId || actor.role === 'alliance_admin'),
};
