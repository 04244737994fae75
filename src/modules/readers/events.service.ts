import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/problem.ts';
import { isBotAgent, RateFilter, RecentIds } from './bot-filter.ts';
import type { EventBuffer } from './event-buffer.ts';
import * as eventsRepo from './events.repo.ts';
import type { ConsentPurpose, EventType } from './tables.ts';
import type { UnitDirectory } from './units.ts';

export const MAX_EVENTS_PER_BATCH = 500;
/** Events may arrive late (an app offline for a while) but not from further back than this… */
const MAX_AGE_MS = 7 * 86_400_000;
/** …nor from the future beyond a little clock skew. */
const MAX_AHEAD_MS = 5 * 60_000;

export interface IncomingEvent {
  id: string;
  type: EventType;
  at: string;
  item?: string;
  unit?: string;
  depth?: number;
  dwellMs?: number;
  target?: string;
}

export interface EventBatch {
  device?: string;
  /** The client's clock when it sent the batch: event times are shifted by its skew from ours. */
  sentAt?: string;
  events: IncomingEvent[];
}

/** Who sent the batch, as far as consent allows us to know. */
export interface EventSender {
  reader: { id: string; homeDivisionCode: string | null; consents: ReadonlySet<ConsentPurpose> } | null;
  userAgent?: string;
  ip: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  filtered: number;
}

/** Fields each type needs beyond the common ones. */
const NEEDS: Partial<Record<EventType, ('item' | 'unit' | 'depth')[]>> = {
  read: ['item', 'depth'],
  like: ['item'],
  share: ['item'],
  follow: ['unit'],
};

const badEvent = (index: number, field: string, zh: string, en: string) =>
  badRequest('invalid_event', `第 ${index} 个事件不合法（events/${index}/${field}）：${zh}`, `Event ${index} is invalid (events/${index}/${field}): ${en}`, {
    index,
    field: `body/events/${index}/${field}`,
  });

/**
 * 埋点事件: validates a batch as a whole (one bad event refuses the batch, naming it, so a client bug is
 * seen at once), drops bots and duplicates, attaches the reader only where consent allows, and hands
 * the rows to the buffer that writes them in batches.
 */
export class EventService {
  private readonly rates = new RateFilter();
  private readonly recent = new RecentIds();
  filteredBots = 0;

  constructor(
    private readonly units: UnitDirectory,
    readonly buffer: EventBuffer,
  ) {}

  /** Events still in memory are written first, so a merge or an erasure also covers them. */
  flushBefore() {
    return this.buffer.flush();
  }

  async ingest(batch: EventBatch, sender: EventSender): Promise<IngestResult> {
    const now = Date.now();
    const sentAt = batch.sentAt ? Date.parse(batch.sentAt) : Number.NaN;
    // A phone whose clock is an hour off still reports when things happened, relative to our clock.
    const skew = Number.isNaN(sentAt) ? 0 : now - sentAt;
    const rows: eventsRepo.EventRow[] = [];
    const unitIds = new Map<string, string>();
    for (const [index, e] of batch.events.entries()) {
      const at = Date.parse(e.at) + skew;
      if (Number.isNaN(at)) throw badEvent(index, 'at', '时间格式不正确', 'not a date-time');
      if (at < now - MAX_AGE_MS) throw badEvent(index, 'at', '事件时间早于 7 天前', 'older than 7 days');
      if (at > now + MAX_AHEAD_MS) throw badEvent(index, 'at', '事件时间在未来', 'in the future');
      for (const need of NEEDS[e.type] ?? []) {
        const present = need === 'item' ? e.item : need === 'unit' ? e.unit : e.depth;
        if (present === undefined) throw badEvent(index, need, `${e.type} 事件必须带 ${need}`, `a ${e.type} event needs ${need}`);
      }
      if (e.unit && !unitIds.has(e.unit)) {
        const unit = await this.units.find(e.unit);
        if (!unit) throw badEvent(index, 'unit', `没有这个单位：${e.unit}`, `no such unit: ${e.unit}`);
        unitIds.set(e.unit, unit.id);
      }
      rows.push(this.toRow(e, at, batch.device ?? null, sender, e.unit ? unitIds.get(e.unit)! : null));
    }

    const views = batch.events.filter((e) => e.type === 'view').length;
    const key = batch.device ?? sender.reader?.id ?? `ip:${sender.ip}`;
    if (isBotAgent(sender.userAgent) || this.rates.overLimit(key, rows.length, views, now)) {
      this.filteredBots += rows.length;
      // Bots are told nothing different, so they have nothing to adapt to.
      return { accepted: 0, duplicates: 0, filtered: rows.length };
    }
    const fresh = rows.filter((r) => !this.recent.check(r.eventId));
    this.buffer.push(fresh);
    return { accepted: fresh.length, duplicates: rows.length - fresh.length, filtered: 0 };
  }

  private toRow(e: IncomingEvent, at: number, device: string | null, sender: EventSender, unitId: string | null): eventsRepo.EventRow {
    const reader = sender.reader;
    // Personalisation consent is what lets an event be kept under the person (and the device they use);
    // analytics consent lets it count towards their home region. Without either it is a bare count.
    const personal = !reader || reader.consents.has('personalisation');
    return {
      occurredAt: new Date(at),
      eventId: e.id,
      type: e.type,
      readerId: reader && personal ? reader.id : null,
      deviceId: personal ? device : null,
      unitId,
      itemId: e.item ?? null,
      depth: e.depth ?? null,
      dwellMs: e.dwellMs ?? null,
      target: e.target ?? null,
      divisionCode: reader?.consents.has('analytics') ? reader.homeDivisionCode : null,
    };
  }

  /**
   * 设备合并: a device used anonymously, then signed in on. Its anonymous events become the reader's, but
   * only with personalisation consent; the link itself is kept so erasure can find the device later.
   * Runs inside the caller's transaction, so the caller flushes the buffer first (flushBefore).
   */
  async mergeDevice(db: Db, deviceId: string, readerId: string, personalised: boolean): Promise<number> {
    return personalised ? eventsRepo.attributeDeviceEvents(db, deviceId, readerId) : 0;
  }
}
