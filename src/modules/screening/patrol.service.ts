import type { Db } from '../../platform/db/database.ts';
import { conflict, notFound } from '../../platform/http/problem.ts';
import type { JobDefinition, JobQueue } from '../../platform/jobs.ts';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import type { ContentService } from '../content/service.ts';
import type { ContentItemRow } from '../content/tables.ts';
import { SYSTEM_USER_ID } from '../identity/system.ts';
import type { Notifier } from '../newsroom/notifications.ts';
import type { ScreeningConfig } from './config.ts';
import { patrolAlert, requireAccess } from '../../policies/index.ts';
import * as repo from './repo.ts';
import { scanItem } from './scan.ts';
import type { ScreeningScope } from './tables.ts';

export const PATROL_JOB = 'screening.patrol';
const ALERT = { zh: '巡查告警', en: 'Patrol alert' };

/** 巡查: re-screens published items when lexicons or packs change; what it finds becomes alerts for the unit's editors. */
export class PatrolService {
  constructor(
    private readonly db: Db,
    private readonly config: ScreeningConfig,
    private readonly alliance: AllianceService,
    private readonly content: ContentService,
    private readonly audit: AuditRecorder,
    private readonly queue: JobQueue,
    private readonly notifier: Notifier,
  ) {}

  jobs(): JobDefinition[] {
    const handler = (data: { unitIds?: string[] | null }) => this.run(data.unitIds ?? null);
    // Patrols queued under the module's old name before migration 0024 still run once after an upgrade.
    return [{ name: PATROL_JOB, handler }, { name: 'review.patrol', handler }];
  }

  /** In the change's own transaction: the patrol exists exactly when the change committed. */
  enqueue(trx: Db, target: { scope: ScreeningScope; unit_id: string }) {
    return this.queue.enqueue(trx, PATROL_JOB, { unitIds: target.scope === 'alliance' ? null : [target.unit_id] });
  }

  /**
   * Re-scans published items (published, corrected) of the given units (null: every unit) with the
   * lexicons and wording packs as they are now; block findings not alerted before for the
   * same item, rule and position become alerts, and the unit's editors are notified once per item.
   */
  async run(unitIds: string[] | null) {
    const snap = await this.config.current();
    const units = (await this.alliance.listUnits({})).filter((u) => !unitIds || unitIds.includes(u.id));
    let scanned = 0;
    let raised = 0;
    for (const unit of units) {
      const actor: Actor = { userId: SYSTEM_USER_ID, unitId: unit.id, unitPath: unit.path, role: 'chief_editor' };
      const items: ContentItemRow[] = [];
      for (const status of ['published', 'corrected'] as const) {
        for (let offset = 0; ; offset += 200) {
          const page = await this.content.list(actor, { view: 'unit', status, limit: 200, offset });
          for (const summary of page) items.push(await this.content.get(actor, summary.id));
          if (page.length < 200) break;
        }
      }
      if (!items.length) continue;
      const rules = this.config.forUnit(snap, unit.id);
      const alerts: repo.NewAlert[] = [];
      for (const item of items) {
        scanned++;
        for (const f of scanItem(rules, item.title, item.body_text)) {
          // Only 禁用 (block) findings alert: a review-tier word in a published story was seen by its
          // editors before sign-off, and alerting on it after every lexicon change would teach them to ignore patrol.
          if (f.severity !== 'block') continue;
          const text = f.field === 'title' ? item.title : item.body_text;
          const excerpt = f.at === null ? null : text.slice(f.at, f.until ?? f.at);
          alerts.push({
            unit_id: unit.id,
            item_id: item.id,
            fingerprint: `${f.field}:${f.rule}:${f.at ?? ''}-${f.until ?? ''}:${excerpt ?? f.message}`.slice(0, 500),
            rule: f.rule,
            severity: f.severity,
            message: f.message,
            field: f.field,
            start_offset: f.at,
            end_offset: f.until,
            excerpt,
          });
        }
      }
      const titles = new Map(items.map((i) => [i.id, i.title]));
      raised += await this.db.transaction().execute(async (trx) => {
        const fresh = await repo.insertAlerts(trx, alerts);
        if (!fresh.length) return 0;
        const editors = await this.alliance.membersWithRoles(unit.id, ['editor', 'chief_editor'], trx);
        const byItem = new Map<string, number>();
        for (const a of fresh) byItem.set(a.item_id, (byItem.get(a.item_id) ?? 0) + 1);
        for (const [itemId, n] of byItem) {
          await this.notifier.notify(trx, {
            unitId: unit.id,
            userIds: editors.map((e) => e.user_id),
            kind: 'review_needed',
            title: `巡查：已发布稿件《${titles.get(itemId) ?? ''}》发现 ${n} 个问题`,
            body: '词库或规范表述更新后重新检查已发布稿件时发现，请核实处理。',
            link: `/items/${itemId}?screening=alerts`,
          });
        }
        return fresh.length;
      });
    }
    return { units: units.length, scanned, raised };
  }

  async listAlerts(actor: Actor, f: { status?: 'open' | 'resolved'; itemId?: string; limit: number; offset: number }) {
    requireAccess(actor, patrolAlert.read);
    return repo.listAlerts(this.db, actor.unitId, f);
  }

  async resolveAlert(ctx: ActorContext, id: string, resolution?: string) {
    requireAccess(ctx.actor, patrolAlert.resolve);
    return this.db.transaction().execute(async (trx) => {
      const before = await repo.findAlert(trx, ctx.actor.unitId, id);
      if (!before) throw notFound(ALERT, id);
      if (before.status === 'resolved') throw conflict('already_resolved', '该告警已处理', 'The alert is already resolved');
      const after = await repo.resolveAlert(trx, ctx.actor.unitId, id, ctx.actor.userId, resolution?.trim() || null);
      await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: 'screening.alert.resolve', targetType: 'screening_alert', targetId: id, before, after });
      return after;
    });
  }
}
