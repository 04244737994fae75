import { allow } from './access.ts';
import { roles } from './roles.ts';

/** 推荐: pins are a unit's own editorial choice, its editors only, never another unit's (not even a parent's). */
const PINNING = roles('editor', 'chief_editor', 'unit_admin');

export const feed = {
  pin: allow('feed.pin', (actor, unitId: string) => actor.unitId === unitId && PINNING.has(actor.role), ['只能管理本单位的推荐位', "Only your own unit's pins"]),
  /** Previewing a unit's feed is open to its editors, as the feed-preview page is. */
  preview: allow('feed.preview', (actor) => PINNING.has(actor.role)),
};
