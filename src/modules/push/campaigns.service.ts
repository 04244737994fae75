import crypto from 'node:crypto';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, notFound } from '../../platform/http/problem.ts';
import type { JobDefinition, JobQueue } from '../../platform/jobs.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import type { SecretBox } from '../../platform/secret-box.ts';
import { portalUrls } from '../distribution/urls.ts';
import { chunk, type PushAdapter, type PushApp, PushError, type PushOutcome, type PushTarget } from './adapters/contract.ts';
import { campaign as campaignRules, requireAccess } from '../../policies/index.ts';
import * as repo from './push.repo.ts';
import { type Clock, earliestSend } from './quiet-hours.ts';
import type { PushScope } from './scope.ts';
import { audienceQuery, type SegmentDefinition } from './segment.ts';
import type { SegmentService } from './segments.service.ts';
import type { PushKind } from './tables.ts';

export const SEND_JOB = 'push.send';
const CAMPAIGN = { zh: '推送', en: 'Campaign' };
const READER_BATCH = 500;
const DAY_MS = 86_400_000;

export interface CampaignInput {
  title: string;
  body: string;
  itemId: string;
  segmentId?: string;
  definition?: SegmentDefinition;
  /** Absent: now. */
  scheduledAt?: string;
  urgent?: boolean;
}

export interface PushSettings {
  /** Pushes a reader may get in any 24 h, across all the alliance's campaigns. */
  capPer24h: number;
  publicBase: string;
}

/**
 * 推送任务: a campaign is a message to a segment at a time. It runs as a pg-boss job: quiet hours defer
 * it (unless urgent), the frequency cap leaves out readers who had enough, each reader gets one send row
 * (what the cap counts, written before the platforms are called, so a crash never pushes twice) and one
 * delivery row per address, and opens come back through the tracked link.
 */
export class CampaignService {
  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly scope: PushScope,
    private readonly segments: SegmentService,
    /** The channels by kind (public so a spec can point one at a local fake). */
    readonly adapters: Map<PushKind, PushAdapter>,
    private readonly box: SecretBox,
    private readonly queue: JobQueue,
    private readonly audit: AuditRecorder,
    private readonly clock: Clock,
    private readonly settings: PushSettings,
  ) {}

  jobs(): JobDefinition[] {
    return [{ name: SEND_JOB, handler: (data: { campaignId?: string }) => this.run(String(data.campaignId)) }];
  }

  async create(ctx: ActorContext, input: CampaignInput) {
    requireAccess(ctx.actor, campaignRules.send);
    const unit = { id: ctx.actor.unitId, path: ctx.actor.unitPath };
    let definition = input.definition;
    if (input.segmentId) definition = (await this.segments.get(ctx.actor, input.segmentId)).definition;
    if (!definition) throw badRequest('no_segment', '请选择人群或给出人群条件', 'Give a segmentId or a definition', { field: 'body/segmentId' });
    await this.segments.validate(definition, unit);
    // Only a story published on a portal of the unit's own subtree.
    const story = await repo.findPublishedStory(this.db, input.itemId, this.scope.readers(unit));
    if (!story) throw badRequest('unknown_story', '只能推送本单位门户上已发布的稿件', 'Not a story published on your portal', { field: 'body/itemId' });
    const now = this.clock();
    const wanted = input.scheduledAt ? new Date(input.scheduledAt) : now;
    if (wanted.getTime() < now.getTime() - 60_000) throw badRequest('past_schedule', '定时时间已过', 'The scheduled time has passed', { field: 'body/scheduledAt' });
    if (wanted.getTime() > now.getTime() + 30 * DAY_MS) throw badRequest('far_schedule', '定时最多提前 30 天', 'At most 30 days ahead', { field: 'body/scheduledAt' });
    const at = earliestSend(wanted, input.urgent ?? false);
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.insertCampaign(trx, {
        unit_id: unit.id,
        segment_id: input.segmentId ?? null,
        definition,
        title: input.title,
        body: input.body,
        item_id: story.item_id,
        link: portalUrls(this.settings.publicBase).article(story.site_unit_slug, story.item_id),
        urgent: input.urgent ?? false,
        scheduled_at: at,
        created_by: ctx.actor.userId,
      });
      await this.queue.enqueue(trx, SEND_JOB, { campaignId: row.id }, at > now ? { startAfter: at } : {});
      await this.audit(trx, ctx, { unitId: unit.id, action: 'push.campaign.create', targetType: 'push_campaign', targetId: row.id, after: { ...input, scheduledAt: at.toISOString() } });
      return row;
    });
  }

  async list(actor: Actor) {
    requireAccess(actor, campaignRules.read);
    return repo.listCampaigns(this.db, actor.unitId);
  }

  async get(actor: Actor, id: string) {
    requireAccess(actor, campaignRules.read);
    const row = await this.scope.own(actor, await repo.findCampaign(this.db, id), CAMPAIGN, id);
    return { campaign: row, results: await repo.campaignResults(this.db, id) };
  }

  async cancel(ctx: ActorContext, id: string) {
    requireAccess(ctx.actor, campaignRules.cancel);
    const row = await this.scope.own(ctx.actor, await repo.findCampaign(this.db, id), CAMPAIGN, id);
    return this.db.transaction().execute(async (trx) => {
      if (!(await repo.moveCampaign(trx, id, 'scheduled', 'cancelled'))) throw conflict('not_scheduled', '只能取消尚未发送的推送', 'Only a campaign not yet sent can be cancelled');
      await this.audit(trx, ctx, { unitId: row.unit_id, action: 'push.campaign.cancel', targetType: 'push_campaign', targetId: id });
      return { ...row, state: 'cancelled' as const };
    });
  }

  /** The send job. Safe to run twice: only the run that moves the campaign to `sending` sends. */
  async run(campaignId: string) {
    const campaign = await repo.findCampaign(this.db, campaignId);
    if (!campaign || campaign.state !== 'scheduled') return { skipped: campaign?.state ?? 'missing' };
    const now = this.clock();
    const at = earliestSend(new Date(Math.max(now.getTime(), new Date(campaign.scheduled_at).getTime())), campaign.urgent);
    if (at.getTime() > now.getTime() + 1000) {
      // Woken early (quiet hours began since it was scheduled, or a clock skew): come back at `at`.
      await this.db.transaction().execute(async (trx) => {
        await trx.updateTable('push_campaigns').set({ scheduled_at: at }).where('id', '=', campaignId).where('state', '=', 'scheduled').execute();
        await this.queue.enqueue(trx, SEND_JOB, { campaignId }, { startAfter: at });
      });
      return { deferredUntil: at.toISOString() };
    }
    if (!(await repo.moveCampaign(this.db, campaignId, 'scheduled', 'sending'))) return { skipped: 'taken' };
    const unit = await this.alliance.getUnit(campaign.unit_id);
    const readerIds = (await audienceQuery(this.db, campaign.definition, this.scope.readers(unit), now).execute()).map((r) => r.id);
    let capped = 0;
    for (const batch of chunk(readerIds, READER_BATCH)) {
      const atCap = await repo.readersAtCap(this.db, batch, new Date(now.getTime() - DAY_MS), this.settings.capPer24h);
      capped += atCap.size;
      const eligible = batch.filter((id) => !atCap.has(id));
      await repo.insertSends(this.db, campaignId, eligible, now);
      await this.deliver(campaign, eligible, now);
    }
    await repo.moveCampaign(this.db, campaignId, 'sending', 'sent', { sent_at: now, audience: readerIds.length, capped });
    return { audience: readerIds.length, capped };
  }

  private async deliver(campaign: { id: string; title: string; body: string; link: string; urgent: boolean; definition: SegmentDefinition }, readerIds: string[], now: Date) {
    if (!readerIds.length) return;
    const regs = await repo.registrationsOf(this.db, readerIds, campaign.definition);
    const apps = new Map((await repo.findApps(this.db, [...new Set(regs.map((r) => r.app_id).filter((a): a is string => !!a))])).map((a) => [a.id, a]));
    const groups = new Map<string, typeof regs>();
    for (const r of regs) groups.set(`${r.kind}:${r.app_id ?? ''}`, [...(groups.get(`${r.kind}:${r.app_id ?? ''}`) ?? []), r]);
    const message = { campaignId: campaign.id, title: campaign.title, body: campaign.body, url: this.openUrl(campaign.id), urgent: campaign.urgent };
    const rows: Parameters<typeof repo.insertDeliveries>[1] = [];
    const gone: string[] = [];
    for (const group of groups.values()) {
      const kind = group[0]!.kind;
      const appRow = group[0]!.app_id ? apps.get(group[0]!.app_id) : undefined;
      const adapter = this.adapters.get(kind);
      const targets: PushTarget[] = group.map((g) => ({ registrationId: g.id, address: g.address, keys: g.keys, url: this.openUrl(campaign.id, g.reader_id) }));
      let outcomes: PushOutcome[];
      try {
        if (!adapter) throw new PushError('rejected', `没有 ${kind} 通道 / no ${kind} channel`);
        const app: PushApp | null = appRow ? { id: appRow.id, kind, config: appRow.config, secrets: this.box.open(appRow.secrets_sealed, `push_app:${appRow.id}`) } : null;
        outcomes = await adapter.send(app, message, targets);
      } catch (err) {
        const text = err instanceof PushError ? `${err.failure}: ${err.message}` : (err as Error).message;
        outcomes = targets.map((t) => ({ registrationId: t.registrationId, ok: false, error: text }));
      }
      const byReg = new Map(group.map((g) => [g.id, g]));
      for (const o of outcomes) {
        const g = byReg.get(o.registrationId)!;
        if (o.gone) gone.push(o.registrationId);
        rows.push({ campaign_id: campaign.id, reader_id: g.reader_id, channel: kind, registration_id: o.gone ? null : g.id, status: o.ok ? 'accepted' : 'failed', error: o.error?.slice(0, 500) ?? null, remote_id: o.remoteId ?? null, at: now });
      }
    }
    await repo.insertDeliveries(this.db, rows);
    await repo.deleteRegistrationsById(this.db, gone);
  }

  private sign(campaignId: string, readerId: string) {
    return crypto.createHmac('sha256', this.box.keyBytes()).update(`push-open:${campaignId}:${readerId}`).digest('base64url').slice(0, 22);
  }

  /** The tracked link: per reader (signed) where a channel sends per address; bare for JPush's batched audience. */
  openUrl(campaignId: string, readerId?: string) {
    const base = `${this.settings.publicBase}/push/o/${campaignId}`;
    return readerId ? `${base}?r=${readerId}.${this.sign(campaignId, readerId)}` : base;
  }

  /** An open: a signed reader token, or the reader's own session (an app webview carries its cookie). Answers where to go. */
  async open(campaignId: string, token: string | undefined, sessionReaderId: string | null) {
    const campaign = await repo.findCampaign(this.db, campaignId);
    if (!campaign) throw notFound(CAMPAIGN, campaignId);
    let readerId = sessionReaderId;
    if (token) {
      const [id, sig] = token.split('.');
      const expected = id ? this.sign(campaignId, id) : '';
      if (id && sig && sig.length === expected.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) readerId = id;
    }
    if (readerId) await repo.noteOpen(this.db, campaignId, readerId, this.clock());
    return campaign.link;
  }
}
