import type { Readable } from 'node:stream';
import sharp from 'sharp';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, forbidden, notFound } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext } from '../alliance/service.ts';
import type { AssetService } from '../content/assets/assets.service.ts';
import type { PrintStory as ContractStory } from '../distribution/contract.ts';
import { renderFor } from '../distribution/renditions/index.ts';
import { loadRenditionSource } from '../distribution/source.ts';
import type { PrintImage, PrintStory } from './layout/layout.ts';
import { type PrintFormat, pageSpecs } from './layout/page-spec.ts';
import { print as printRules, requireAccess } from '../../policies/index.ts';
import { day } from './print.presenter.ts';
import * as repo from './print.repo.ts';
import type { PageStoryRef, PageSummary } from './print.tables.ts';
import { composePdf } from './render/pdf.ts';
import { layoutStory, leadPicture } from './story.ts';

export const PAGE = { zh: '版面', en: 'Page' };
const POOL_ENTRY = { zh: '稿池中的稿件', en: 'Print pool entry' };
const ITEM = { zh: '稿件', en: 'Item' };
export const MAX_STORIES = 8;

export interface StoryChoice {
  source: 'pool' | 'item';
  id: string;
}

export interface CreatePageInput {
  name: string;
  format: PrintFormat;
  date: string;
  stories: StoryChoice[];
}

interface Resolved {
  ref: PageStoryRef;
  story: ContractStory;
  coverAssetId: string | null;
}

/**
 * 报纸版面: the unit's print pool, its pages (laid out automatically, kept with their PDF) and the
 * flags a retraction leaves on a page that already carries the story. Everything is the caller's
 * own unit: a story of another unit must be adopted (采用) before it can go on a page.
 */
export class PrintService {
  constructor(
    private readonly db: Db,
    private readonly assets: AssetService,
    private readonly audit: AuditRecorder,
    /** The platform's public URL (publicBase(config)), for the rendition's links. */
    private readonly base: string,
  ) {}

  async candidates(actor: Actor) {
    requireAccess(actor, printRules.read);
    const [pool, published] = await Promise.all([repo.listPool(this.db, actor.unitId), repo.publishedItems(this.db, actor.unitId, 60)]);
    return { pool, published };
  }

  async listPages(actor: Actor, date?: string) {
    requireAccess(actor, printRules.read);
    return repo.listPages(this.db, actor.unitId, date);
  }

  async getPage(actor: Actor, id: string): Promise<PageSummary> {
    requireAccess(actor, printRules.read);
    const page = await repo.findPage(this.db, actor.unitId, id);
    if (!page) throw notFound(PAGE, id);
    return page;
  }

  async pdf(actor: Actor, id: string) {
    requireAccess(actor, printRules.read);
    const row = await repo.findPdf(this.db, actor.unitId, id);
    if (!row) throw notFound(PAGE, id);
    return row;
  }

  /** Lays out a new page from the chosen stories (the lead first) and keeps it with its PDF. */
  async createPage(ctx: ActorContext, input: CreatePageInput): Promise<PageSummary> {
    requireAccess(ctx.actor, printRules.layout);
    const name = input.name.trim();
    if (!name) throw badRequest('empty_name', '请填写版名（如“要闻”）', 'Give the page a name (e.g. 要闻)');
    checkChoices(input.stories);
    const resolved = await this.resolve(ctx.actor, input.stories, false);
    const composed = await this.compose(ctx.actor, resolved, input.format, name, input.date);
    return this.db.transaction().execute(async (trx) => {
      const page = await repo.insertPage(trx, {
        unitId: ctx.actor.unitId,
        name,
        format: input.format,
        date: input.date,
        stories: resolved.map((r) => r.ref),
        createdBy: ctx.actor.userId,
        ...composed,
      });
      await this.audit(trx, ctx, {
        unitId: ctx.actor.unitId,
        action: 'print.page.create',
        targetType: 'print_page',
        targetId: page.id,
        after: { name, format: input.format, date: input.date, stories: page.stories, pages: page.page_count },
      });
      return page;
    });
  }

  /**
   * Lays the page out again from what its stories are now: a story retracted since (gone from the
   * pool, or no longer published) is left out, a corrected one set in its new wording; flags clear.
   */
  async relayout(ctx: ActorContext, id: string): Promise<PageSummary> {
    requireAccess(ctx.actor, printRules.layout);
    const page = await repo.findPage(this.db, ctx.actor.unitId, id);
    if (!page) throw notFound(PAGE, id);
    const resolved = await this.resolve(ctx.actor, page.stories, true);
    if (!resolved.length) throw conflict('page_empty', '版面上的稿件都已撤回，请删除此版面或新建版面', 'Every story on this page has been retracted; delete the page or make a new one');
    const composed = await this.compose(ctx.actor, resolved, page.format, page.name, day(page.edition_date as Date | string));
    return this.db.transaction().execute(async (trx) => {
      const after = await repo.replaceLayout(trx, ctx.actor.unitId, id, { stories: resolved.map((r) => r.ref), ...composed });
      await this.audit(trx, ctx, {
        unitId: ctx.actor.unitId,
        action: 'print.page.relayout',
        targetType: 'print_page',
        targetId: id,
        before: { stories: page.stories, flags: page.flags },
        after: { stories: after.stories },
      });
      return after;
    });
  }

  async deletePage(ctx: ActorContext, id: string) {
    requireAccess(ctx.actor, printRules.layout);
    await this.db.transaction().execute(async (trx) => {
      const gone = await repo.deletePage(trx, ctx.actor.unitId, id);
      if (!gone) throw notFound(PAGE, id);
      await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: 'print.page.delete', targetType: 'print_page', targetId: id });
    });
  }

  // ---------------------------------------------------------------- internals

  /** The chosen stories as the print rendition has them; `lenient` drops what has been retracted instead of refusing. */
  private async resolve(actor: Actor, choices: { source: 'pool' | 'item'; id: string }[], lenient: boolean): Promise<Resolved[]> {
    const unitId = actor.unitId;
    const pool = new Map((await repo.findPool(this.db, unitId, choices.filter((c) => c.source === 'pool').map((c) => c.id))).map((p) => [p.id, p]));
    const items = new Map((await repo.findPublished(this.db, unitId, choices.filter((c) => c.source === 'item').map((c) => c.id))).map((i) => [i.id, i]));
    const out: Resolved[] = [];
    for (const c of choices) {
      if (c.source === 'pool') {
        const p = pool.get(c.id);
        if (!p) {
          if (lenient) continue;
          throw notFound(POOL_ENTRY, c.id);
        }
        out.push({ ref: { source: 'pool', id: p.id, itemId: p.item_id, title: p.title }, story: p.story, coverAssetId: p.cover_asset_id });
        continue;
      }
      const item = items.get(c.id);
      if (!item || !['published', 'corrected'].includes(item.status)) {
        if (lenient) continue;
        if (!item && (await repo.itemUnit(this.db, c.id))) {
          throw forbidden('只能排本单位的稿件；其他单位的稿件请先采用', "Only your own unit's stories go on its pages; adopt another unit's story first");
        }
        if (!item) throw notFound(ITEM, c.id);
        throw conflict('not_published', '只能排已发布的稿件', 'Only published stories can go on a page', { itemId: c.id });
      }
      const source = await loadRenditionSource(this.db, item.id, item.published_revision ?? item.revision, this.base);
      const rendition = renderFor('print', source);
      if (!rendition.print) throw conflict('no_print_rendition', '该稿件没有报纸版本', 'The item has no print rendition');
      out.push({ ref: { source: 'item', id: item.id, itemId: item.id, title: rendition.print.headline }, story: rendition.print, coverAssetId: source.coverAssetId });
    }
    return out;
  }

  private async compose(actor: Actor, resolved: Resolved[], format: PrintFormat, name: string, date: string) {
    const images = new Map<string, Buffer>();
    const stories: PrintStory[] = [];
    for (const [k, r] of resolved.entries()) {
      const wanted = leadPicture(r.story, r.coverAssetId);
      const picture = wanted ? await this.picture(actor, wanted.assetId, wanted.caption, images) : null;
      stories.push(layoutStory(`${r.ref.source}:${r.ref.id}:${k}`, r.story, picture));
    }
    const started = performance.now();
    const { pdf, layout } = await composePdf({
      spec: pageSpecs[format],
      header: { pageName: name, dateLine: dateLine(date), unitName: await repo.unitName(this.db, actor.unitId) },
      stories,
      images,
      title: `${name} ${date}`,
    });
    const report = layout.stories.map((s) => ({ ...s, id: s.id.split(':')[1]! }));
    return { pdf, report, pageCount: layout.pages.length, renderMs: Math.round(performance.now() - started) };
  }

  /** A picture's bytes from the asset library (the large variant, JPEG or PNG); null when the page cannot show it. */
  private async picture(actor: Actor, assetId: string, caption: string | null, into: Map<string, Buffer>): Promise<PrintImage | null> {
    const asset = await this.assets.get(actor, assetId).catch(() => null);
    if (!asset || asset.kind !== 'image') return null;
    const choice = ['large', 'medium'].map((n) => asset.variants[n]).find((r) => r);
    const key = choice?.key ?? asset.storage_key;
    const mime = choice?.mime ?? asset.mime;
    let bytes = await readAll(await this.assets.open(key));
    // pdfkit takes JPEG and PNG; a transparent picture is kept as WebP in the library.
    if (mime !== 'image/jpeg' && mime !== 'image/png') bytes = await sharp(bytes).png().toBuffer();
    into.set(assetId, bytes);
    const width = choice?.width ?? asset.width ?? 4;
    const height = choice?.height ?? asset.height ?? 3;
    return { assetId, width, height, caption: caption ?? asset.caption };
  }
}

function checkChoices(stories: StoryChoice[]) {
  if (!stories.length) throw badRequest('no_stories', '请至少选择一篇稿件', 'Choose at least one story');
  if (stories.length > MAX_STORIES) throw badRequest('too_many_stories', `一个版面最多 ${MAX_STORIES} 篇稿件`, `At most ${MAX_STORIES} stories on a page`);
  const seen = new Set(stories.map((s) => `${s.source}:${s.id}`));
  if (seen.size !== stories.length) throw badRequest('duplicate_story', '同一稿件选了两次', 'A story was chosen twice');
}

const WEEKDAYS = '日一二三四五六';

/** “2026年11月27日 星期五” for the page header. */
export function dateLine(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${y}年${m}月${d}日　星期${WEEKDAYS[weekday]}`;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
