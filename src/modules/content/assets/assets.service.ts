import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { AuditRecorder } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db/database.ts';
import { Problem, badRequest, conflict, notFound } from '../../../platform/http/problem.ts';
import type { Actor } from '../../../policies/index.ts';
import type { ActorContext } from '../../alliance/service.ts';
import { asset as assetRules, oversees, overseesUnit, requireAccess, unitView } from '../../../policies/index.ts';
import type { ContentService, SaveReferences } from '../service.ts';
import * as repo from './assets.repo.ts';
import { CAPTION_MAX, TAGS_MAX, TAG_MAX, type AssetListQueryInput, type UpdateAssetInput } from './assets.schema.ts';
import type { AssetKind, Variant } from './assets.tables.ts';
import { renderImage } from './variants.ts';
import { type AssetFormat, HEAD_BYTES, type HeadSniff, checkDeclared, sniffFile, sniffHead } from './sniff.ts';
import type { AssetStorage } from './storage.ts';

export const ASSET = { zh: '媒资', en: 'Asset' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MB = 1024 * 1024;

/**
 * 单个文件大小上限, by kind: a photo from a full-frame camera is under 20 MB, a podcast hour
 * under 100 MB, a few minutes of 1080p news video under 500 MB. Longer video belongs in a video
 * platform's own pipeline, not a newsroom upload.
 */
export const sizeLimits: Readonly<Record<AssetKind, number>> = {
  image: 20 * MB,
  audio: 100 * MB,
  video: 500 * MB,
  document: 20 * MB,
};

const kindNames: Record<AssetKind, { zh: string; en: string }> = {
  image: { zh: '图片', en: 'images' },
  audio: { zh: '音频', en: 'audio' },
  video: { zh: '视频', en: 'video' },
  document: { zh: '文档', en: 'documents' },
};

const megabytes = (n: number) => `${Math.round((n / MB) * 10) / 10} MB`;

/** One part of a multipart upload, as @fastify/multipart hands it over (the service needs no more). */
export type UploadPart =
  | { type: 'file'; fieldname: string; filename: string; mimetype: string; file: Readable & { truncated?: boolean } }
  | { type: 'field'; fieldname: string; value: unknown };

/** An upload received whole into the staging folder, hashed and given a first look. */
interface Staged {
  path: string;
  name: string;
  declaredMime: string;
  size: number;
  sha256: string;
  head: HeadSniff;
}

export interface UploadResult {
  asset: repo.AssetWithUnit;
  /** The unit already held these bytes: the existing asset is returned, nothing is stored. */
  duplicate: boolean;
}

/** What the content route streams: which stored object, and how to label it. */
export interface AssetBytes {
  asset: repo.AssetWithUnit;
  key: string;
  mime: string;
  size: number;
  etag: string;
  variant: string;
}

/** 媒资库: uploads (checked, hashed, de-duplicated, rendered), the library's search, and the bytes. */
export class AssetService {
  readonly limits: Readonly<Record<AssetKind, number>>;
  /** The largest upload of any kind: the hard stop before the kind is known. */
  readonly maxBytes: number;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditRecorder,
    content: ContentService,
    readonly storage: AssetStorage,
    limits: Partial<Record<AssetKind, number>> = {},
  ) {
    this.limits = { ...sizeLimits, ...limits };
    this.maxBytes = Math.max(...Object.values(this.limits));
    // Usages follow every item save in its own transaction, so "still used" is never stale.
    content.onSave((trx, item) => repo.replaceUsages(trx, item.unit_id, item.id, content.assetIds(item)));
    content.guardSave((trx, ctx, refs) => this.checkUsable(trx, ctx.actor, refs));
  }

  /**
   * The pictures an item of the actor's unit may carry: the unit's own; those travelling with a story
   * of their unit that this unit can see (shared with it, sent to it, or a copy it adopted); and, for a
   * copy, the pictures of the story it was adopted from. Anything else — another unit's unshared
   * picture, or an id naming no asset — is refused, naming the ids, before anything is written.
   */
  private async checkUsable(trx: Db, actor: Actor, refs: SaveReferences) {
    const view = unitView({ id: actor.unitId, path: actor.unitPath }, actor.userId);
    const refused: string[] = [];
    for (const id of refs.assetIds) {
      const asset = UUID.test(id) ? await repo.findAsset(trx, id) : undefined;
      const usable =
        !!asset &&
        (asset.unit_id === view.unitId ||
          (refs.copyOf?.unitId === asset.unit_id && (await repo.itemUsesAsset(trx, refs.copyOf.unitId, refs.copyOf.itemId, id))) ||
          (await repo.visibleItemsUsing(trx, view, asset, 1)).length > 0);
      if (!usable) refused.push(id);
    }
    if (refused.length) {
      const list = refused.join('、');
      throw badRequest(
        'asset_not_usable',
        `稿件不能使用这些媒资：${list}（不存在，或属于其他单位且未随稿件共享给本单位）`,
        `The item may not use these assets: ${refused.join(', ')} (they do not exist, or belong to another unit and were not shared with yours)`,
        { assetIds: refused },
      );
    }
  }

  /** Takes a multipart upload: exactly one `file` part, optional `caption` and `tags` fields. */
  async upload(ctx: ActorContext, parts: AsyncIterable<UploadPart>): Promise<UploadResult> {
    requireAccess(ctx.actor, assetRules.upload);
    let staged: Staged | null = null;
    const fields: { caption: string | null; tags: string[] } = { caption: null, tags: [] };
    try {
      for await (const part of parts) {
        if (part.type === 'field') {
          readField(part.fieldname, part.value, fields);
          continue;
        }
        if (part.fieldname !== 'file') throw unknownField(part.fieldname);
        if (staged) throw badRequest('one_file', '每次只能上传一个文件', 'Upload one file per request');
        staged = await this.stage(part);
      }
      if (!staged) throw badRequest('no_file', '请选择要上传的文件（表单字段 file）', 'Send the file in the multipart field "file"');
      return await this.store(ctx, staged, fields);
    } catch (err) {
      throw asUploadProblem(err, this.maxBytes);
    } finally {
      if (staged) await fs.promises.rm(staged.path, { force: true });
    }
  }

  private tooLarge(kind: AssetKind | null, limit: number) {
    const what = kind ? kindNames[kind] : null;
    return new Problem(
      413,
      'file_too_large',
      `文件过大：${what ? what.zh : '文件'}最大 ${megabytes(limit)}`,
      `The file is too large: ${what ? what.en : 'files'} may be at most ${megabytes(limit)}`,
      { limitBytes: limit, ...(kind ? { kind } : {}) },
    );
  }

  private limitOf(head: HeadSniff) {
    // Office files look like any ZIP until the end; they are documents or nothing.
    const kind: AssetKind = head.kind === 'zip' ? 'document' : head.format.kind;
    return { kind, limit: this.limits[kind] };
  }

  /**
   * Streams the file into the staging folder while hashing it. The first bytes decide the type and
   * with it the size limit, so an oversize or unsupported file is stopped early, not after it landed.
   */
  private async stage(part: Extract<UploadPart, { type: 'file' }>): Promise<Staged> {
    const name = cleanName(part.filename);
    const file = this.storage.stagingPath();
    // Opened before anything else happens, so the cleanup below always finds what it must remove.
    const out = (await fs.promises.open(file, 'wx')).createWriteStream();
    const hash = createHash('sha256');
    let size = 0;
    let head: HeadSniff | null = null;
    let headChunks: Buffer[] = [];
    let limit = { kind: null as AssetKind | null, limit: this.maxBytes };
    try {
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (!head) {
          headChunks.push(chunk);
          if (size >= HEAD_BYTES) {
            head = await sniffHead(Buffer.concat(headChunks), name);
            headChunks = [];
            limit = this.limitOf(head);
          }
        }
        if (size > limit.limit) throw this.tooLarge(limit.kind, limit.limit);
        hash.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      }
      if (part.file.truncated) throw this.tooLarge(limit.kind, limit.limit);
      if (size === 0) throw badRequest('empty_file', `文件“${name}”是空的`, `The file "${name}" is empty`);
      if (!head) {
        head = await sniffHead(Buffer.concat(headChunks), name);
        limit = this.limitOf(head);
        if (size > limit.limit) throw this.tooLarge(limit.kind, limit.limit);
      }
      out.end();
      await once(out, 'close');
      return { path: file, name, declaredMime: part.mimetype, size, sha256: hash.digest('hex'), head };
    } catch (err) {
      if (!out.closed) {
        out.destroy();
        await once(out, 'close').catch(() => undefined);
      }
      await fs.promises.rm(file, { force: true });
      // Stop reading the rest of the body: the answer is already decided.
      part.file.destroy();
      throw err;
    }
  }

  /** Checks the whole file, de-duplicates, renders, stores the bytes, then commits the row with its audit. */
  private async store(ctx: ActorContext, staged: Staged, fields: { caption: string | null; tags: string[] }): Promise<UploadResult> {
    const { actor } = ctx;
    const format: AssetFormat = await sniffFile(staged.path, staged.name);
    checkDeclared(format, staged.name, staged.declaredMime);
    if (staged.size > this.limits[format.kind]) throw this.tooLarge(format.kind, this.limits[format.kind]);

    const existing = await repo.findAssetBySha(this.db, actor.unitId, staged.sha256);
    if (existing) return { asset: existing, duplicate: true };

    const rendered = format.kind === 'image' ? await renderImage(staged.path, staged.name) : null;
    const id = randomUUID();
    const base = `${actor.unitId}/${id.slice(0, 2)}/${id}`;
    const written: string[] = [];
    try {
      const variants: Record<string, Variant> = {};
      for (const r of rendered?.variants ?? []) {
        const key = `${base}/${r.name}.${r.ext}`;
        await this.storage.put(key, r.data);
        written.push(key);
        variants[r.name] = { key, width: r.width, height: r.height, size: r.data.length, mime: r.mime };
      }
      const originalKey = `${base}/original.${format.exts[0]}`;
      await this.storage.putFile(originalKey, staged.path);
      written.push(originalKey);
      const row: repo.NewAsset = {
        unit_id: actor.unitId,
        id,
        kind: format.kind,
        mime: format.mime,
        size: staged.size,
        sha256: staged.sha256,
        original_name: staged.name,
        caption: fields.caption,
        tags: fields.tags,
        width: rendered?.width ?? null,
        height: rendered?.height ?? null,
        duration_seconds: null,
        storage_key: originalKey,
        variants,
        created_by: actor.userId,
      };
      const inserted = await this.db.transaction().execute(async (trx) => {
        if (!(await repo.insertAsset(trx, row))) return false;
        await this.audit(trx, ctx, {
          unitId: actor.unitId,
          action: 'asset.create',
          targetType: 'asset',
          targetId: id,
          after: { kind: row.kind, mime: row.mime, size: row.size, sha256: row.sha256, originalName: row.original_name, caption: row.caption, tags: row.tags },
        });
        return true;
      });
      if (!inserted) {
        // A twin upload of the same bytes committed first: theirs stands, ours goes.
        await this.removeKeys(written);
        const twin = await repo.findAssetBySha(this.db, actor.unitId, staged.sha256);
        if (twin) return { asset: twin, duplicate: true };
        throw conflict('upload_race', '同一文件正在被同时上传和删除，请重试', 'The same file was being uploaded and deleted at once; try again');
      }
    } catch (err) {
      await this.removeKeys(written);
      throw err;
    }
    return { asset: (await repo.findAsset(this.db, id))!, duplicate: false };
  }

  private async removeKeys(keys: string[]) {
    for (const key of keys) await this.storage.delete(key).catch(() => undefined);
  }

  /**
   * Who may read an asset: its own unit; supervisors and alliance admins over their subtree; and
   * anyone who can see an item of the asset's unit (or a copy adopted from it) that uses it —
   * which is how a picture travels with a story shared to the alliance. Everyone else gets 404.
   */
  async get(actor: Actor, id: string, db: Db = this.db): Promise<repo.AssetWithUnit> {
    requireAccess(actor, assetRules.read);
    const asset = await repo.findAsset(db, id);
    if (!asset) throw notFound(ASSET, id);
    if (asset.unit_id === actor.unitId || overseesUnit(actor, { id: asset.unit_id, path: asset.unit_path })) return asset;
    if ((await repo.visibleItemsUsing(db, actor, asset, 1)).length) return asset;
    throw notFound(ASSET, id);
  }

  /** Items using the asset that the actor can see (the 引用 list of the detail view). */
  usedBy(actor: Actor, asset: repo.AssetWithUnit) {
    requireAccess(actor, assetRules.read);
    return repo.visibleItemsUsing(this.db, actor, asset, 20);
  }

  /** 媒资检索: own unit by default; overseers search their subtree, or one unit in it. */
  async list(actor: Actor, query: AssetListQueryInput) {
    const target = query.unitId && query.unitId !== actor.unitId ? await repo.findUnit(this.db, query.unitId) : undefined;
    requireAccess(actor, assetRules.browse, target ?? { id: query.unitId ?? actor.unitId, path: query.unitId ? '' : actor.unitPath });
    let unit = { id: actor.unitId, path: actor.unitPath, subtree: oversees(actor) };
    if (target) {
      unit = { ...target, subtree: false };
    } else if (query.unitId) {
      unit = { ...unit, subtree: false };
    }
    return repo.searchAssets(this.db, {
      unit,
      q: query.q?.trim() || undefined,
      tag: query.tag?.trim() || undefined,
      kind: query.kind,
      from: query.from ? chinaDay(query.from, 0) : undefined,
      to: query.to ? chinaDay(query.to, 1) : undefined,
      limit: query.limit ?? 30,
      offset: query.offset ?? 0,
    });
  }

  /**
   * The asset for a write, locked, readable and owned by the caller's unit and newsroom. Every read
   * goes through the transaction: on the embedded database it holds the only connection, and a
   * read through this.db would wait for it forever.
   */
  private async forWrite(trx: Db, actor: Actor, id: string) {
    await repo.lockAsset(trx, id);
    const asset = await this.get(actor, id, trx);
    requireAccess(actor, assetRules.update, asset);
    return asset;
  }

  async update(ctx: ActorContext, id: string, input: UpdateAssetInput) {
    await this.db.transaction().execute(async (trx) => {
      const before = await this.forWrite(trx, ctx.actor, id);
      const fields: { caption?: string | null; tags?: string[] } = {};
      if (input.caption !== undefined) fields.caption = input.caption?.trim() || null;
      if (input.tags !== undefined) fields.tags = normaliseTags(input.tags);
      await repo.updateAsset(trx, id, fields);
      await this.audit(trx, ctx, {
        unitId: before.unit_id,
        action: 'asset.update',
        targetType: 'asset',
        targetId: id,
        before: { caption: before.caption, tags: before.tags },
        after: { caption: fields.caption ?? before.caption, tags: fields.tags ?? before.tags },
      });
    });
    return (await repo.findAsset(this.db, id))!;
  }

  /** Refused while any item (of any unit, seen or not) still uses the asset; the files go after the commit. */
  async delete(ctx: ActorContext, id: string) {
    const asset = await this.db.transaction().execute(async (trx) => {
      const a = await this.forWrite(trx, ctx.actor, id);
      const uses = await repo.countUsages(trx, id);
      if (uses > 0) {
        const visible = await repo.visibleItemsUsing(trx, ctx.actor, a, 5);
        throw conflict(
          'asset_in_use',
          `仍有 ${uses} 篇稿件在使用此媒资${visible.length ? `（如《${visible[0]!.title}》）` : ''}，请先从稿件中移除`,
          `${uses} item(s) still use this asset${visible.length ? ` (e.g. "${visible[0]!.title}")` : ''}; remove it from them first`,
          { usedBy: visible.map((i) => ({ id: i.id, title: i.title })), usageCount: uses },
        );
      }
      await repo.deleteAsset(trx, id);
      await this.audit(trx, ctx, {
        unitId: a.unit_id,
        action: 'asset.delete',
        targetType: 'asset',
        targetId: id,
        before: { kind: a.kind, sha256: a.sha256, originalName: a.original_name, caption: a.caption, size: Number(a.size) },
      });
      return a;
    });
    await this.removeKeys([asset.storage_key, ...Object.values(asset.variants).map((r) => r.key)]);
  }

  /** Which stored object answers a content request; a variant the asset lacks falls back to the original. */
  async bytes(actor: Actor, id: string, variant?: string): Promise<AssetBytes> {
    const asset = await this.get(actor, id);
    const r = variant && variant !== 'original' ? asset.variants[variant] : undefined;
    if (r) return { asset, key: r.key, mime: r.mime, size: r.size, etag: `"${asset.sha256}.${variant}"`, variant: variant! };
    return { asset, key: asset.storage_key, mime: asset.mime, size: Number(asset.size), etag: `"${asset.sha256}"`, variant: 'original' };
  }

  open(key: string, range?: { start: number; end: number }) {
    return this.storage.get(key, range);
  }
}

/** Midnight of a calendar day in China (UTC+8), plus `plusDays`: the newsroom's day, not the server's. */
const chinaDay = (day: string, plusDays: number) => new Date(Date.parse(`${day}T00:00:00+08:00`) + plusDays * 86_400_000);

const unknownField = (name: string) =>
  badRequest('unknown_field', `不认识的表单字段 ${name}（可用：file、caption、tags）`, `Unknown form field ${name} (use file, caption, tags)`, {
    errors: [{ field: name, detail: '不认识的表单字段', detailEn: 'unknown field' }],
  });

function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
}

/** Form fields: a caption, and tags either repeated or comma-separated (中英文逗号都可以). */
function readField(name: string, value: unknown, fields: { caption: string | null; tags: string[] }) {
  if (typeof value !== 'string') throw badRequest('bad_field', `表单字段 ${name} 须为文本`, `Form field ${name} must be text`);
  if (name === 'caption') {
    if (value.length > CAPTION_MAX) {
      throw badRequest('caption_too_long', `说明最多 ${CAPTION_MAX} 字`, `The caption may be at most ${CAPTION_MAX} characters`, {
        errors: [{ field: 'caption', detail: `最多 ${CAPTION_MAX} 字`, detailEn: `at most ${CAPTION_MAX} characters` }],
      });
    }
    fields.caption = value.trim() || null;
    return;
  }
  if (name === 'tags') {
    const tags = normaliseTags([...fields.tags, ...value.split(/[,，、]/)]);
    const long = tags.find((t) => t.length > TAG_MAX);
    if (long) throw badRequest('tag_too_long', `标签“${long}”超过 ${TAG_MAX} 字`, `The tag "${long}" is longer than ${TAG_MAX} characters`);
    if (tags.length > TAGS_MAX) throw badRequest('too_many_tags', `标签最多 ${TAGS_MAX} 个`, `At most ${TAGS_MAX} tags`);
    fields.tags = tags;
    return;
  }
  throw unknownField(name);
}

/** The name as shown in the library: no folders, no control characters, not absurdly long. */
function cleanName(filename: string): string {
  // eslint-disable-next-line no-control-regex
  const base = path.basename(filename.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'upload').slice(0, 255);
}

/** The multipart parser's own refusals, in the platform's words. */
function asUploadProblem(err: unknown, maxBytes: number): unknown {
  if (err instanceof Problem) return err;
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new Problem(413, 'file_too_large', `文件过大：最大 ${megabytes(maxBytes)}`, `The file is too large: at most ${megabytes(maxBytes)}`, { limitBytes: maxBytes });
    case 'FST_FILES_LIMIT':
      return badRequest('one_file', '每次只能上传一个文件', 'Upload one file per request');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return badRequest('too_many_fields', '表单字段过多（可用：file、caption、tags）', 'Too many form fields (use file, caption, tags)');
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return badRequest('bad_field', '表单字段名不合法', 'A form field name is not allowed');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new Problem(415, 'not_multipart', '上传请使用 multipart/form-data', 'Upload with multipart/form-data');
  }
  const message = err instanceof Error ? err.message : '';
  if (code === 'FST_MP_PREMATURE_CLOSE' || /multipart|Part terminated|Unexpected end/i.test(message)) {
    return badRequest('bad_multipart', `上传的表单数据不完整或格式错误：${message}`, `The multipart body is incomplete or malformed: ${message}`);
  }
  return err;
}
