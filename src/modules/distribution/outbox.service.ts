import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/problem.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { ActorContext } from '../alliance/service.ts';
import type { MoveEvent } from '../newsroom/workflow.service.ts';
import type { AdapterRegistry } from './adapters/registry.ts';
import * as channelsRepo from './channels.repo.ts';
import type { DeliveryAction, Rendition, RenditionSource } from './contract.ts';
import { retractions } from '../newsroom/queries.ts';
import * as repo from './deliveries.repo.ts';
import { optionsFromConfig, renderFor } from './renditions/index.ts';
import { loadRenditionSource } from './source.ts';
import type { ChannelRow, DeliveryRow, DistributionDeliveriesTable } from './tables.ts';

export const DRAIN_JOB = 'distribution.drain';

/** Trails left where a channel cannot follow (shown in the item's distribution panel). */
const NOTES = {
  noUpdate: '该渠道不支持修改已发内容；门户显示更正说明 / this channel cannot change what it published; the portal shows the correction note',
  noRetract: '该渠道不支持撤回；门户标注已撤稿 / this channel cannot take a post down; the portal marks the story retracted',
  superseded: (rev: number) => `未发出即被第 ${rev} 版取代 / superseded by revision ${rev} before it was sent`,
  retractedBeforeSend: '撤稿时尚未发出，已取消 / cancelled: retracted before it was sent',
  disabled: '渠道已停用 / the channel is disabled',
};

/**
 * 一次采集、多元传播, the writing half: when the workflow publishes, corrects or retracts an item, the
 * outbox rows are written in the same transaction as the move, one per chosen channel, with the
 * rendition frozen as it was signed off. Workers (delivery.worker.ts) drain them.
 */
export class OutboxService {
  constructor(
    private readonly adapters: AdapterRegistry,
    private readonly queue: JobQueue,
    /** The platform's public URL (publicBase(config)). */
    private readonly base: string,
  ) {}

  /** The workflow's move listener. */
  readonly onMove = async (trx: Db, ctx: ActorContext, event: MoveEvent) => {
    const { item, action, input } = event;
    if (input.channelIds && action !== 'schedule' && action !== 'publish') {
      throw badRequest('channel_ids', '只有定时和发布可以选择渠道', 'Channels are chosen when scheduling or publishing');
    }
    if (action === 'schedule') await this.choose(trx, ctx, item.unit_id, item.id, input.channelIds);
    if (action === 'publish') {
      const channels = await this.choose(trx, ctx, item.unit_id, item.id, input.channelIds);
      await this.publish(trx, ctx, item.id, item.revision, event.to === 'corrected', channels);
    }
    if (action === 'retract') await this.retract(trx, ctx, item.id, item.unit_id, event.comment);
  };

  /** The channel choice: as given (checked), else the earlier choice, else the unit's auto-select channels. */
  private async choose(trx: Db, ctx: ActorContext, unitId: string, itemId: string, given: string[] | undefined): Promise<ChannelRow[]> {
    let channels: ChannelRow[];
    if (given) {
      channels = await channelsRepo.findChannels(trx, unitId, given);
      const missing = given.filter((id) => !channels.some((c) => c.id === id));
      if (missing.length) throw badRequest('channel_ids', `渠道不存在或不属于本单位：${missing.join('、')}`, `Unknown channels, or not this unit's: ${missing.join(', ')}`, { channelIds: missing });
      const off = channels.filter((c) => !c.enabled);
      if (off.length) throw badRequest('channel_disabled', `渠道已停用：${off.map((c) => c.name).join('、')}`, `Disabled channels: ${off.map((c) => c.name).join(', ')}`);
    } else {
      const earlier = (await repo.selection(trx, itemId)).map((r) => r.channel_id);
      channels = earlier.length
        ? await channelsRepo.findChannels(trx, unitId, earlier)
        : (await channelsRepo.listChannels(trx, unitId, { enabled: true })).filter((c) => c.auto_select);
    }
    await repo.replaceSelection(trx, unitId, itemId, channels.map((c) => c.id), ctx.actor.userId);
    return channels;
  }

  private async publish(trx: Db, ctx: ActorContext, itemId: string, revision: number, correcting: boolean, channels: ChannelRow[]) {
    const epoch = await retractions(trx, itemId);
    const source = await loadRenditionSource(trx, itemId, revision, this.base);
    const history = (await repo.itemDeliveries(trx, itemId)).filter((d) => d.epoch === epoch);
    const rows: Insertable<DistributionDeliveriesTable>[] = [];
    for (const channel of channels) {
      const adapter = this.adapters.get(channel.kind);
      const rendition = renderFor(channel.kind, source, optionsFromConfig(channel.config));
      const row = (action: DeliveryAction, extra: Partial<Insertable<DistributionDeliveriesTable>> = {}) =>
        rows.push(this.row(ctx, channel, source, action, epoch, rendition, extra));
      if (!channel.enabled || !adapter) {
        row(correcting ? 'update' : 'publish', { status: 'skipped', failure: 'skipped', note: channel.enabled ? `「${channel.kind}」渠道尚不可用 / no adapter for ${channel.kind}` : NOTES.disabled });
        continue;
      }
      const mine = history.filter((d) => d.channel_id === channel.id);
      // What never left is withdrawn; the new revision goes in its place.
      await repo.skipQueued(trx, itemId, channel.id, epoch, NOTES.superseded(revision));
      const reached = mine.some(mayHaveReached);
      if (!correcting || !reached) row('publish');
      else if (adapter.supports.update) row('update');
      else row('update', { status: 'skipped', failure: 'skipped', note: NOTES.noUpdate });
    }
    const written = await repo.insertDeliveries(trx, rows);
    await this.wake(trx);
    return written;
  }

  private async retract(trx: Db, ctx: ActorContext, itemId: string, unitId: string, comment: string | null) {
    // Retractions so far, before this one's transition row is counted: the epoch being closed.
    const epoch = (await retractions(trx, itemId)) - 1;
    const history = (await repo.itemDeliveries(trx, itemId)).filter((d) => d.epoch === epoch);
    const channelIds = [...new Set(history.map((d) => d.channel_id))];
    const channels = await channelsRepo.findChannels(trx, unitId, channelIds);
    const rows: Insertable<DistributionDeliveriesTable>[] = [];
    for (const channel of channels) {
      await repo.skipQueued(trx, itemId, channel.id, epoch, NOTES.retractedBeforeSend);
      const mine = history.filter((d) => d.channel_id === channel.id);
      const last = [...mine].reverse().find((d) => d.action !== 'retract' && mayHaveReached(d));
      if (!last?.rendition || !last.source) continue;
      const adapter = this.adapters.get(channel.kind);
      const extra = adapter?.supports.retract ? { note: comment } : { status: 'skipped' as const, failure: 'skipped' as const, note: NOTES.noRetract };
      rows.push(this.row(ctx, channel, last.source, 'retract', epoch, last.rendition, extra));
    }
    await repo.insertDeliveries(trx, rows);
    await this.wake(trx);
  }

  private row(
    ctx: ActorContext,
    channel: ChannelRow,
    source: RenditionSource,
    action: DeliveryAction,
    epoch: number,
    rendition: Rendition,
    extra: Partial<Insertable<DistributionDeliveriesTable>>,
  ): Insertable<DistributionDeliveriesTable> {
    return {
      unit_id: channel.unit_id,
      channel_id: channel.id,
      item_id: source.itemId,
      action,
      revision: source.revision,
      epoch,
      idempotency_key: `tianfu:${source.itemId}:${channel.id}:${action}:r${source.revision}:e${epoch}`,
      rendition: JSON.stringify(rendition),
      source: JSON.stringify(source),
      created_by: ctx.actor.userId,
      ...extra,
    };
  }

  /** Wakes a worker once the move commits (the job is enqueued in the same transaction). */
  async wake(db: Db, startAfter?: Date) {
    await this.queue.enqueue(db, DRAIN_JOB, {}, startAfter ? { startAfter } : {});
  }
}

/** Whether a row may have put something on the channel (so a correction must update it, a retraction take it down). */
function mayHaveReached(d: DeliveryRow) {
  if (d.action === 'retract') return false;
  return d.status === 'delivered' || d.status === 'sending' || d.status === 'unknown' || (d.status === 'queued' && d.attempts > 0);
}
