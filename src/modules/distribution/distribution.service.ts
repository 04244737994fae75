import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, notFound } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import type { ContentService } from '../content/service.ts';
import * as channelsRepo from './channels.repo.ts';
import * as repo from './deliveries.repo.ts';
import type { OutboxService } from './outbox.service.ts';
import { delivery as deliveryRules, requireAccess, requireVisible } from '../../policies/index.ts';
import { presentDelivery } from './presenter.ts';

const DELIVERY = { zh: '投递记录', en: 'Delivery' };

/** What the console shows and does about an item's distribution: per-channel status, and retrying a failure. */
export class DistributionService {
  constructor(
    private readonly db: Db,
    private readonly content: ContentService,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
    private readonly outbox: OutboxService,
  ) {}

  /** Visible to whoever may see the item; a unit's channels appear only on its own items. */
  async itemStatus(actor: Actor, itemId: string) {
    await this.content.get(actor, itemId);
    const rows = await repo.itemDeliveries(this.db, itemId);
    const chosen = (await repo.selection(this.db, itemId)).map((r) => r.channel_id);
    const unitId = rows[0]?.unit_id;
    const channels = unitId ? new Map((await channelsRepo.findChannels(this.db, unitId, [...new Set(rows.map((r) => r.channel_id))])).map((c) => [c.id, c])) : new Map();
    const byChannel = new Map<string, typeof rows>();
    for (const row of rows) byChannel.set(row.channel_id, [...(byChannel.get(row.channel_id) ?? []), row]);
    return {
      itemId,
      channelIds: chosen,
      channels: [...byChannel.entries()].map(([channelId, list]) => {
        const channel = channels.get(channelId)!;
        const shown = [...list].reverse().map((r) => presentDelivery(r, channel));
        return { channelId, channelName: channel.name, channelKind: channel.kind, latest: shown[0]!, history: shown.slice(1) };
      }),
    };
  }

  /** A chief editor sends a failed delivery again (after fixing the channel's settings, say). */
  async retry(ctx: ActorContext, deliveryId: string) {
    const row = await repo.findDelivery(this.db, deliveryId);
    if (!row) throw notFound(DELIVERY, deliveryId);
    const unit = await this.alliance.getUnit(row.unit_id);
    requireVisible(ctx.actor, deliveryRules.see, unit, DELIVERY, deliveryId);
    requireAccess(ctx.actor, deliveryRules.retry, unit);
    return this.db.transaction().execute(async (trx) => {
      // A failure whose outcome was never settled stays flagged: the retry reconciles before sending.
      const again = await repo.requeue(trx, deliveryId);
      if (!again) throw badRequest('not_failed', `只有失败的投递可以重试（当前：${row.status}）`, `Only a failed delivery can be retried (it is ${row.status})`);
      await this.audit(trx, ctx, { unitId: row.unit_id, action: 'delivery.retry', targetType: 'delivery', targetId: deliveryId, before: { status: row.status, lastError: row.last_error }, after: { status: 'queued' } });
      await this.outbox.wake(trx);
      const channel = (await channelsRepo.findChannel(trx, row.channel_id))!;
      return presentDelivery(again, channel);
    });
  }
}
