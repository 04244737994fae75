import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, notFound } from '../../platform/http/problem.ts';
import { type Actor, portalHome, requireAccess } from '../../policies/index.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import { unitSlug } from '../distribution/urls.ts';
import * as repo from './curation.repo.ts';
import { sections } from './site.repo.ts';
import { siteChanged } from './site.events.ts';

export const MAX_TOPICS = 6;
export const MAX_SECTIONS = 12;

export interface CurationInput {
  /** The unit (division code or id); the actor's active unit when left out. */
  unit?: string;
  headlineItemId: string | null;
  topicItemIds: string[];
  sectionOrder: string[];
}

/**
 * 门户编排: a unit's editors choose the 头条 of its portal home, the 专题 on its strip and the order of its
 * 栏目. Every choice is checked against the unit's own live portal: another unit's story, a retracted
 * one or a section the portal does not have is refused with a 400 naming it, and nothing is saved.
 */
export class CurationService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
  ) {}

  private async unitFor(actor: Actor, unit: string | undefined) {
    const row = !unit || unit === actor.unitId ? await this.alliance.getUnit(actor.unitId) : /^\d{6}$/.test(unit) ? await this.alliance.findUnitByDivisionCode(unit) : await this.alliance.getUnit(unit).catch(() => undefined);
    if (!row) throw notFound({ zh: '单位', en: 'Unit' }, unit);
    requireAccess(actor, portalHome.curate, row.id);
    return { id: row.id, name: row.name, slug: unitSlug(row) };
  }

  async get(actor: Actor, unit?: string) {
    const u = await this.unitFor(actor, unit);
    return this.view(u);
  }

  /** Stories the editor may choose from: the unit's own live portal stories, newest first, by words in the title or summary. */
  async candidates(actor: Actor, q: { unit?: string; q?: string; type?: 'special'; limit?: number }) {
    const u = await this.unitFor(actor, q.unit);
    return repo.ownLiveSearch(this.db, { unitId: u.id, text: q.q ?? '', type: q.type, limit: q.limit ?? 20 });
  }

  async set(ctx: ActorContext, input: CurationInput) {
    const u = await this.unitFor(ctx.actor, input.unit);
    const topicIds = [...new Set(input.topicItemIds)];
    const order = [...new Set(input.sectionOrder.map((s) => s.trim()).filter(Boolean))];
    if (topicIds.length > MAX_TOPICS) throw badRequest('too_many_topics', `专题最多选 ${MAX_TOPICS} 个`, `At most ${MAX_TOPICS} topics`, { field: 'topicItemIds' });
    if (order.length > MAX_SECTIONS) throw badRequest('too_many_sections', `栏目顺序最多 ${MAX_SECTIONS} 个`, `At most ${MAX_SECTIONS} sections`, { field: 'sectionOrder' });

    const wanted = [...(input.headlineItemId ? [input.headlineItemId] : []), ...topicIds];
    const own = new Map((await repo.ownLiveStories(this.db, u.id, wanted)).map((s) => [s.item_id, s]));
    if (input.headlineItemId && !own.has(input.headlineItemId)) {
      throw badRequest('headline_not_own', `头条只能选本单位门户上在发的稿件：${input.headlineItemId} 不是`, `The headline must be one of this unit's live portal stories; ${input.headlineItemId} is not`, { field: 'headlineItemId' });
    }
    const foreign = topicIds.find((id) => !own.has(id));
    if (foreign) throw badRequest('topic_not_own', `专题只能选本单位门户上在发的专题：${foreign} 不是`, `Topics must be this unit's live portal topics; ${foreign} is not`, { field: 'topicItemIds' });
    const notSpecial = topicIds.find((id) => own.get(id)!.item_type !== 'special');
    if (notSpecial) throw badRequest('not_a_topic', `「${own.get(notSpecial)!.title}」不是专题稿件`, `"${own.get(notSpecial)!.title}" is not a special topic`, { field: 'topicItemIds' });
    const known = new Set((await sections(this.db, 'portal', u.slug)).map((s) => s.category));
    const unknown = order.find((s) => !known.has(s));
    if (unknown) throw badRequest('unknown_section', `本单位门户没有「${unknown}」栏目`, `This portal has no section "${unknown}"`, { field: 'sectionOrder' });

    await this.db.transaction().execute(async (trx) => {
      const before = await repo.curationOf(trx, u.id);
      const row = await repo.saveCuration(trx, { unit_id: u.id, headline_item_id: input.headlineItemId, topic_item_ids: topicIds, section_order: order, updated_by: ctx.actor.userId });
      await this.audit(trx, ctx, {
        unitId: u.id,
        action: 'portal.curate',
        targetType: 'unit',
        targetId: u.id,
        before: before ? { headline: before.headline_item_id, topics: before.topic_item_ids, sections: before.section_order } : null,
        after: { headline: row.headline_item_id, topics: row.topic_item_ids, sections: row.section_order },
      });
    });
    // The home page is cached with everything else of the site: drop it now, not at the cache's expiry.
    siteChanged({ siteSlug: u.slug });
    return this.view(u);
  }

  private async view(u: { id: string; name: string; slug: string }) {
    const c = await repo.curationOf(this.db, u.id);
    const ids = c ? [...(c.headline_item_id ? [c.headline_item_id] : []), ...c.topic_item_ids] : [];
    const live = new Map((await repo.ownLiveStories(this.db, u.id, ids)).map((s) => [s.item_id, s]));
    return {
      unit: u,
      // A choice whose story was retracted since simply drops out (the home falls back to automatic).
      headline: (c?.headline_item_id && live.get(c.headline_item_id)) || null,
      topics: (c?.topic_item_ids ?? []).map((id) => live.get(id)).filter((s): s is repo.OwnStory => !!s),
      sectionOrder: c?.section_order ?? [],
      sections: await sections(this.db, 'portal', u.slug),
      updatedAt: c?.updated_at ?? null,
    };
  }
}

export type CurationView = Awaited<ReturnType<CurationService['get']>>;
