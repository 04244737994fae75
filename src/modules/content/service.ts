import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, notFound } from '../../platform/http/problem.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext } from '../alliance/service.ts';
import { diffText } from './diff.ts';
import { type ContentDoc, assertDocDepth, assetIdsIn, emptyDoc, plainText, renderHtml } from './doc.ts';
import { item as itemRules, requireAccess } from '../../policies/index.ts';
import * as repo from './repo.ts';
import type { CreateItemInput, DiffDto, UpdateItemInput, WorkingCopyInput } from './schema.ts';
import type { ContentItemRow, ItemStatus } from './tables.ts';

export const ITEM = { zh: '稿件', en: 'Item' };
export const UNDERSTAND_JOB = 'content.understand';

/** Where the console and portal fetch an asset's bytes; bodies reference assets by id only. */
export const assetUrl = (assetId: string) => `/api/assets/${assetId}/content?variant=large`;

/** The editable state of an item: what each revision snapshots and a restore brings back. */
export type Snapshot = Required<Omit<UpdateItemInput, 'note' | 'baseRevision' | 'specialItemIds'>>;

export function snapshotOf(item: ContentItemRow): Snapshot {
  return {
    title: item.title,
    subtitle: item.subtitle,
    summary: item.summary,
    body: item.body,
    coverAssetId: item.cover_asset_id,
    byline: item.byline,
    contributors: item.contributors,
    source: item.source,
    creditLine: item.credit_line,
    tags: item.tags,
    category: item.category,
    regionCode: item.region_code,
    language: item.language,
    liveUrl: item.live_url,
    embargoUntil: item.embargo_until ? new Date(item.embargo_until).toISOString() : null,
    aiAssisted: item.ai_assisted,
  };
}

/** Column values for the editable fields present in an input; the body's renderings come with it. */
function columnsFrom(input: Partial<Snapshot>): Partial<repo.NewItem> {
  const out: Partial<repo.NewItem> = {};
  if (input.title !== undefined) out.title = input.title.trim();
  if (input.subtitle !== undefined) out.subtitle = input.subtitle;
  if (input.summary !== undefined) out.summary = input.summary;
  if (input.body !== undefined) {
    const doc = input.body as ContentDoc;
    if (doc.type !== 'doc') throw badRequest('bad_body', '正文必须是 doc 类型的文档', 'The body must be a document of type "doc"');
    assertDocDepth(doc);
    out.body = doc;
    out.body_html = renderHtml(doc, assetUrl);
    out.body_text = plainText(doc);
  }
  if (input.coverAssetId !== undefined) out.cover_asset_id = input.coverAssetId;
  if (input.byline !== undefined) out.byline = input.byline;
  if (input.contributors !== undefined) out.contributors = input.contributors;
  if (input.source !== undefined) out.source = input.source;
  if (input.creditLine !== undefined) out.credit_line = input.creditLine;
  if (input.tags !== undefined) out.tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
  if (input.category !== undefined) out.category = input.category;
  if (input.regionCode !== undefined) out.region_code = input.regionCode;
  if (input.language !== undefined) out.language = input.language;
  if (input.liveUrl !== undefined) out.live_url = input.liveUrl;
  if (input.embargoUntil !== undefined) out.embargo_until = input.embargoUntil;
  if (input.aiAssisted !== undefined) out.ai_assisted = input.aiAssisted;
  return out;
}

/**
 * Called inside every save's transaction with the item as saved, so other parts of the hub (the
 * search index) stay exactly in step with the content.
 */
export type SaveListener = (trx: Db, item: ContentItemRow, ctx: ActorContext) => Promise<void>;

/** What a save is about to make an item refer to, checked before anything is written. */
export interface SaveReferences {
  /** Asset ids the save adds: all of a new item's, or those an update newly names. */
  assetIds: string[];
  /** For a copy adopted from another unit (采用): the item it came from, whose pictures it may keep. */
  copyOf: { unitId: string; itemId: string } | null;
}

/** Runs inside the save's transaction before the write; a guard that throws refuses the whole save. */
export type SaveGuard = (trx: Db, ctx: ActorContext, refs: SaveReferences) => Promise<void>;

/** Asset ids a body and cover refer to. */
function referencedAssets(body: unknown, cover: string | null | undefined): Set<string> {
  const ids = assetIdsIn(body as ContentDoc);
  if (cover) ids.add(cover);
  return ids;
}

/** 稿库: content items and their revisions. Sharing between units lives in sharing.service.ts. */
export class ContentService {
  private readonly saveListeners: SaveListener[] = [];
  private readonly saveGuards: SaveGuard[] = [];

  constructor(
    private readonly db: Db,
    private readonly audit: AuditRecorder,
    private readonly jobs: JobQueue,
  ) {}

  onSave(listener: SaveListener) {
    this.saveListeners.push(listener);
  }

  /** A check every create and update passes before writing (the asset library: may this unit use these pictures?). */
  guardSave(guard: SaveGuard) {
    this.saveGuards.push(guard);
  }

  private async checkReferences(trx: Db, ctx: ActorContext, refs: SaveReferences) {
    if (!refs.assetIds.length) return;
    for (const guard of this.saveGuards) await guard(trx, ctx, refs);
  }

  async get(actor: Actor, id: string): Promise<ContentItemRow> {
    requireAccess(actor, itemRules.read);
    const item = await repo.findVisibleItem(this.db, actor, id);
    if (!item) throw notFound(ITEM, id);
    return item;
  }

  /** The item for a write: visible, and writable by the caller's unit and role. */
  private async forWrite(db: Db, actor: Actor, id: string): Promise<ContentItemRow> {
    const visible = await repo.findVisibleItem(db, actor, id);
    if (!visible) throw notFound(ITEM, id);
    requireAccess(actor, itemRules.update, visible);
    return (await repo.lockItem(db, id))!;
  }

  list(actor: Actor, filter: repo.ItemListFilter) {
    requireAccess(actor, itemRules.read);
    return repo.listItems(this.db, actor, filter);
  }

  /** Creates an item with its first revision; `outer` joins a caller's transaction (采用, ingest). */
  async create(ctx: ActorContext, input: CreateItemInput, extra: Partial<repo.NewItem> = {}, outer?: Db) {
    requireAccess(ctx.actor, itemRules.create);
    this.checkType(input.type, input);
    const columns = columnsFrom({ body: emptyDoc(), ...input });
    const run = <T>(work: (trx: Db) => Promise<T>) => (outer ? work(outer) : this.db.transaction().execute(work));
    const item = await run(async (trx) => {
      const copyOf = extra.origin_unit_id && extra.origin_item_id ? { unitId: extra.origin_unit_id, itemId: extra.origin_item_id } : null;
      await this.checkReferences(trx, ctx, { assetIds: [...referencedAssets(columns.body, columns.cover_asset_id)], copyOf });
      const row = await repo.insertItem(trx, {
        unit_id: ctx.actor.unitId,
        type: input.type,
        title: columns.title!,
        body: columns.body,
        body_html: columns.body_html!,
        body_text: columns.body_text!,
        contributors: columns.contributors ?? [],
        ...columns,
        ...extra,
        created_by: ctx.actor.userId,
        updated_by: ctx.actor.userId,
      } as repo.NewItem);
      if (input.specialItemIds) await this.setSpecialMembers(trx, ctx.actor, row, input.specialItemIds);
      await this.afterSave(trx, ctx, row, input.note ?? '创建', 'content.create', null);
      return row;
    });
    return item;
  }

  /**
   * A save with intent (保存, 提交, restore): the next numbered revision. It takes the place of the
   * caller's working copy, whose edits it carries.
   */
  async update(ctx: ActorContext, id: string, input: UpdateItemInput) {
    return this.db.transaction().execute(async (trx) => {
      const before = await this.forWrite(trx, ctx.actor, id);
      await this.checkBase(trx, before, input.baseRevision);
      const columns = await this.checkEdit(trx, ctx, before, input);
      const after = await repo.updateItem(trx, id, { ...columns, revision: before.revision + 1, updated_by: ctx.actor.userId });
      if (input.specialItemIds) await this.setSpecialMembers(trx, ctx.actor, after, input.specialItemIds);
      await repo.deleteWorkingCopy(trx, after.unit_id, id, ctx.actor.userId);
      await this.afterSave(trx, ctx, after, input.note ?? null, 'content.update', before);
      return after;
    });
  }

  /**
   * Autosave: keeps the caller's unsaved edits as their working copy, checked as a save would be, without
   * numbering a revision, so a story edited in one sitting reaches review as one new revision. Only the
   * caller sees it; no edits at all discards it.
   */
  async keepWorkingCopy(ctx: ActorContext, id: string, input: WorkingCopyInput) {
    return this.db.transaction().execute(async (trx) => {
      const before = await this.forWrite(trx, ctx.actor, id);
      await this.checkBase(trx, before, input.baseRevision);
      const { baseRevision, ...changes } = input;
      await this.checkEdit(trx, ctx, before, changes);
      if (Object.keys(changes).length === 0) {
        await repo.deleteWorkingCopy(trx, before.unit_id, id, ctx.actor.userId);
        return null;
      }
      return repo.upsertWorkingCopy(trx, { unitId: before.unit_id, itemId: id, authorId: ctx.actor.userId, baseRevision, changes });
    });
  }

  /** The caller's working copy of the item, or null. */
  async workingCopy(actor: Actor, id: string) {
    const item = await this.get(actor, id);
    return (await repo.findWorkingCopy(this.db, item.unit_id, id, actor.userId)) ?? null;
  }

  /** 放弃修改: drops the caller's working copy (their own unsaved edits, so reading the item suffices). */
  async discardWorkingCopy(actor: Actor, id: string) {
    const item = await this.get(actor, id);
    await repo.deleteWorkingCopy(this.db, item.unit_id, id, actor.userId);
  }

  /** Edits must start from the item's current revision: someone else's save in between is a conflict to resolve. */
  private async checkBase(trx: Db, before: ContentItemRow, baseRevision: number | undefined) {
    if (baseRevision === undefined || baseRevision === before.revision) return;
    const base = await repo.findRevision(trx, before.id, baseRevision);
    throw conflict(
      'revision_conflict',
      `稿件已被他人保存为第 ${before.revision} 版，你的修改基于第 ${baseRevision} 版；请先合并差异再保存`,
      `The item was saved as revision ${before.revision} while you edited revision ${baseRevision}; merge and save again`,
      { currentRevision: before.revision, diff: base ? diffText(base.body_text, before.body_text) : null },
    );
  }

  /** Checks an edit as a whole before anything is written; returns its column values. */
  private async checkEdit(trx: Db, ctx: ActorContext, before: ContentItemRow, input: Partial<Snapshot> & { specialItemIds?: string[] }) {
    this.checkType(before.type, input);
    const columns = columnsFrom(input);
    // Only what this edit adds is checked: an item keeps the pictures it already had.
    const had = referencedAssets(before.body, before.cover_asset_id);
    const will = referencedAssets(columns.body ?? before.body, columns.cover_asset_id !== undefined ? columns.cover_asset_id : before.cover_asset_id);
    const copyOf = before.origin_unit_id && before.origin_item_id ? { unitId: before.origin_unit_id, itemId: before.origin_item_id } : null;
    await this.checkReferences(trx, ctx, { assetIds: [...will].filter((id) => !had.has(id)), copyOf });
    return columns;
  }

  /** Each save: a revision, the listeners (search index), an audit row, and the understanding job. */
  private async afterSave(trx: Db, ctx: ActorContext, item: ContentItemRow, note: string | null, action: string, before: ContentItemRow | null) {
    await repo.insertRevision(trx, {
      unitId: item.unit_id,
      itemId: item.id,
      number: item.revision,
      snapshot: snapshotOf(item),
      bodyText: item.body_text,
      note,
      authorId: ctx.actor.userId,
    });
    for (const listener of this.saveListeners) await listener(trx, item, ctx);
    await this.audit(trx, ctx, {
      unitId: item.unit_id,
      action,
      targetType: 'content_item',
      targetId: item.id,
      before: before && { revision: before.revision, title: before.title, status: before.status },
      after: { revision: item.revision, title: item.title, status: item.status },
    });
    await this.jobs.enqueue(trx, UNDERSTAND_JOB, { itemId: item.id }, { singletonKey: item.id });
  }

  /** 采纳: takes an incoming (ingested) item into the hub as a draft. An editor's call, audited. */
  async accept(ctx: ActorContext, id: string) {
    return this.db.transaction().execute(async (trx) => {
      const before = await this.forWrite(trx, ctx.actor, id);
      requireAccess(ctx.actor, itemRules.accept, before);
      if (before.status !== 'incoming') throw conflict('not_incoming', '该稿件不在汇聚待处理队列中', 'The item is not in the incoming queue');
      const after = await repo.updateItem(trx, id, { status: 'draft', updated_by: ctx.actor.userId });
      await this.audit(trx, ctx, {
        unitId: after.unit_id,
        action: 'content.accept',
        targetType: 'content_item',
        targetId: id,
        before: { status: before.status },
        after: { status: after.status },
      });
      return after;
    });
  }

  private checkType(type: string, input: { liveUrl?: string | null; specialItemIds?: string[] }) {
    if (input.specialItemIds && type !== 'special') {
      throw badRequest('not_special', '只有专题可以包含其他稿件', 'Only a special topic groups other items');
    }
    if (type === 'live' && input.liveUrl === null) throw badRequest('live_url', '直播稿需要直播地址', 'A live item needs its live URL');
  }

  private async setSpecialMembers(trx: Db, actor: Actor, special: ContentItemRow, itemIds: string[]) {
    const unique = [...new Set(itemIds)];
    if (unique.includes(special.id)) throw badRequest('special_self', '专题不能包含自己', 'A special topic cannot contain itself');
    for (const id of unique) {
      if (!(await repo.findVisibleItem(trx, actor, id))) throw notFound(ITEM, id);
    }
    await repo.setSpecialMembers(trx, special.unit_id, special.id, unique);
  }

  /** The item, visible to the caller, locked for a state change inside the caller's transaction. */
  async lockVisible(trx: Db, actor: Actor, id: string): Promise<ContentItemRow> {
    if (!(await repo.findVisibleItem(trx, actor, id))) throw notFound(ITEM, id);
    return (await repo.lockItem(trx, id))!;
  }

  /** For the scheduler, which acts for no one: the row locked, without a visibility check. */
  lockForSystem(trx: Db, id: string) {
    return repo.lockItem(trx, id);
  }

  /** Status belongs to the hub's row; the newsroom's state machine decides it and calls this. */
  setStatus(trx: Db, id: string, status: ItemStatus) {
    return repo.setItemStatus(trx, id, status);
  }

  specialMembers(actor: Actor, specialId: string) {
    return repo.specialMembers(this.db, actor, specialId);
  }

  async revisions(actor: Actor, id: string) {
    await this.get(actor, id);
    return repo.listRevisions(this.db, id);
  }

  async revision(actor: Actor, id: string, number: number) {
    await this.get(actor, id);
    const rev = await repo.findRevision(this.db, id, number);
    if (!rev) throw notFound({ zh: '修订版本', en: 'Revision' }, String(number));
    return rev;
  }

  async diff(actor: Actor, id: string, from: number, to: number): Promise<DiffDto> {
    const [a, b] = [await this.revision(actor, id, from), await this.revision(actor, id, to)];
    const sa = a.snapshot as Snapshot;
    const sb = b.snapshot as Snapshot;
    const fields = (Object.keys(sb) as (keyof Snapshot)[])
      .filter((k) => k !== 'body' && JSON.stringify(sa[k]) !== JSON.stringify(sb[k]))
      .map((field) => ({ field, before: sa[field] ?? null, after: sb[field] ?? null }));
    return { from, to, fields, ...diffText(a.body_text, b.body_text) };
  }

  /** Restoring writes a new revision equal to the old one: history only ever grows. */
  async restore(ctx: ActorContext, id: string, number: number, note?: string) {
    const rev = await this.revision(ctx.actor, id, number);
    return this.update(ctx, id, { ...(rev.snapshot as Snapshot), note: note ?? `恢复到第 ${number} 版` });
  }

  /** Asset ids an item refers to, so the asset library can tell where a picture is used. */
  assetIds(item: ContentItemRow): string[] {
    const ids = assetIdsIn(item.body);
    if (item.cover_asset_id) ids.add(item.cover_asset_id);
    return [...ids];
  }

  unitNames(ids: string[]) {
    return repo.unitNames(this.db, ids);
  }

  adoptions(id: string) {
    return repo.adoptionsOf(this.db, id);
  }
}
