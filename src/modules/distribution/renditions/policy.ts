import type { Actor } from '../../alliance/policy.ts';
import { canShareItem, canWriteItem } from '../../content/policy.ts';

/**
 * 渠道预览: the item's own newsroom sees what each channel will get. Other units that can read a
 * shared item still do not see its renditions: those are the owning unit's publishing decisions.
 */
export const canPreviewRenditions = (actor: Actor, item: { unit_id: string }) => canWriteItem(actor, item);

/** Before sign-off, only editors and above look ahead at the latest revision's renditions. */
export const canPreviewUnsigned = (actor: Actor, item: { unit_id: string }) => canShareItem(actor, item);
