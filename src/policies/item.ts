import type { ItemStatus } from '../modules/content/tables.ts';
import { allow } from './access.ts';
import type { Actor, UnitPlace } from './actor.ts';
import { EDITOR_AND_UP, NEWSROOM, OVERSIGHT } from './roles.ts';
import { actsAtRoot, inActorSubtree } from './tree.ts';

/**
 * 稿件: who may read, write and move content. A unit's own staff read all of its items; the item's share
 * scope, and deliveries (上报/下发), open it to others; supervisors and alliance admins read their whole
 * subtree. Only the owning unit's newsroom staff write; supervisors never do. Reading one item is decided
 * by the content queries themselves (an item the actor may not see is "not found").
 */

type Owned = { unit_id: string };
const ownNewsroom = (actor: Actor, item: Owned) => item.unit_id === actor.unitId && NEWSROOM.has(actor.role);
const ownEditors = (actor: Actor, item: Owned) => item.unit_id === actor.unitId && EDITOR_AND_UP.has(actor.role);

/** Overseers read every unit's items in their subtree. */
export const oversees = (actor: Actor) => OVERSIGHT.has(actor.role);
/** An overseer at the alliance's root sees every item: its subtree is the whole alliance. */
export const seesEverything = (actor: Actor) => oversees(actor) && actsAtRoot(actor);
/** Overseers see a unit's library when the unit is theirs or below. */
export const overseesUnit = (actor: Actor, unit: UnitPlace) => oversees(actor) && inActorSubtree(actor, unit);

/**
 * 共享稿池: another unit's story is offered for 采用 only once it is ready to go out (签发 and after).
 * Drafts and stories still in review stay with their unit even when their share scope is open.
 */
export const POOL_STATUSES = ['signed_off', 'scheduled', 'published', 'corrected'] as const satisfies readonly ItemStatus[];

export const item = {
  /** Reading lists, search and the items one may see: the queries apply the visibility rule above. */
  read: allow('item.read', () => true),
  create: allow('item.create', (actor) => NEWSROOM.has(actor.role), ['监管账号不能写稿', 'Supervisors do not write content']),
  update: allow('item.update', ownNewsroom, ['只能修改本单位的稿件', "Only the owning unit's newsroom may edit this item"]),
  /** Take the edit lock. */
  lock: allow('item.lock', ownNewsroom, ['只能锁定本单位可编辑的稿件', "Only the owning unit's newsroom edits this item"]),
  resolveComment: allow('item.resolveComment', ownNewsroom),
  /** Correct what the machine understood (categories, entities). */
  correctUnderstanding: allow('item.correctUnderstanding', ownNewsroom, ['只能修改本单位稿件的理解结果', "Only the owning unit's newsroom may correct this item's understanding"]),
  comment: allow('item.comment', (actor) => actor.role !== 'supervisor', ['监管账号只读', 'Supervisors read only']),
  /** Opening an item to other units (share scope, 上报, 下发) is an editor's call, not a reporter's. */
  share: allow('item.share', ownEditors, ['只有本单位的编辑以上角色可以共享或报送稿件', "Only the owning unit's editors may share or send this item"]),
  /** Accepting an item that came in (汇聚) into the unit's working set. */
  accept: allow('item.accept', ownEditors, ['只有编辑及以上可以采纳汇聚稿件', 'Only editors and above may accept incoming items']),
  /** 采用: taking a copy into one's own unit. */
  pickUp: allow('item.pickUp', (actor) => EDITOR_AND_UP.has(actor.role), ['只有编辑以上角色可以采用稿件', 'Only editors and above may adopt items']),
};

export const asset = {
  read: allow('asset.read', () => true),
  upload: allow('asset.upload', (actor) => NEWSROOM.has(actor.role), ['监管账号不能上传媒资', 'Supervisors do not upload assets']),
  update: allow('asset.update', ownNewsroom, ['只能修改本单位的媒资', "Only the owning unit's newsroom may change this asset"]),
  /** Browse a unit's library: one's own, or as an overseer any unit below. */
  browse: allow(
    'asset.browse',
    (actor, unit: UnitPlace) => unit.id === actor.unitId || overseesUnit(actor, unit),
    ['只能浏览本单位的媒资库；其他单位共享稿件中的图片可在稿件中查看', "You may browse your own unit's library only; pictures in stories shared with you open from those stories"],
  ),
};

/** 汇聚源: unit editors and above manage their unit's sources; everyone in the unit may read them. */
export const ingestSource = {
  read: allow('ingestSource.read', () => true),
  manage: allow('ingestSource.manage', (actor) => EDITOR_AND_UP.has(actor.role), ['只有编辑及以上可以管理汇聚源', 'Only editors and above manage ingest sources']),
  pull: allow('ingestSource.pull', (actor) => EDITOR_AND_UP.has(actor.role), ['只有编辑及以上可以拉取汇聚源', 'Only editors and above pull ingest sources']),
};

/** Saved searches belong to the person who saved them. */
export const savedSearch = {
  own: allow('savedSearch.own', () => true),
};

/**
 * Whose view decides which pictures an item may carry: the item's unit itself, without any oversight of
 * the units below it. Delivery later loads the pictures as that unit, so what this view sees is exactly
 * what a channel will be able to send.
 */
export const unitView = (unit: UnitPlace, userId: string): Actor => ({ userId, unitId: unit.id, unitPath: unit.path, role: 'unit_admin' });

/**
 * 渠道预览: the item's own newsroom sees what each channel will get. Other units that can read a shared
 * item still do not see its renditions: those are the owning unit's publishing decisions. Before sign-off,
 * only editors and above look ahead at the latest revision's renditions.
 */
export const renditions = {
  preview: allow('renditions.preview', ownNewsroom, ['只有稿件所属单位的采编人员可以预览渠道版本', "Only the owning unit's newsroom may preview an item's renditions"]),
  previewUnsigned: allow('renditions.previewUnsigned', ownEditors),
};
