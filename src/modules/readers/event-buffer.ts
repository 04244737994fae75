import type { Db } from '../../platform/db/database.ts';
import { Problem } from '../../platform/http/problem.ts';
import * as eventsRepo from './events.repo.ts';
import { partitionBounds, shanghaiDayNumber } from './partitions.ts';

export interface BufferOptions {
  /** Flush as soon as this many events wait. */
  maxRows: number;
  /** …or this long after the first one arrived. */
  maxDelayMs: number;
  /** Beyond this many waiting (the database is down or slow) new events are refused with a 503. */
  maxPending: number;
  onError?: (err: unknown) => void;
}

const DEFAULTS: BufferOptions = { maxRows: 5000, maxDelayMs: 1000, maxPending: 200_000 };

/**
 * Events are collected in memory and written in batches: one multi-row statement per flush (up to 5,000 rows) instead of
 * one per event, which is where the ingest speed comes from. The price is that an accepted event is
 * durable only after the next flush (≤ maxDelayMs); a crash loses at most that window, which is fine for
 * reading statistics and is what the 202 answer promises.
 */
export class EventBuffer {
  private pending: eventsRepo.EventRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private knownPartitions: Set<string> | null = null;
  private readonly knownDays = new Set<number>();
  private readonly options: BufferOptions;
  written = 0;

  constructor(
    private readonly db: Db,
    options: Partial<BufferOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get size() {
    return this.pending.length;
  }

  push(rows: eventsRepo.EventRow[]) {
    if (this.pending.length + rows.length > this.options.maxPending) {
      throw new Problem(503, 'events_backlog', '服务繁忙，请稍后重发', 'Too many events waiting to be written; retry later', { retryAfter: 5 });
    }
    this.pending.push(...rows);
    if (this.pending.length >= this.options.maxRows) void this.flush().catch(() => {});
    else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.options.maxDelayMs).unref();
  }

  /** Writes everything waiting now; resolves when it (and any flush before it) is in the database. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.flushing.then(() => this.writeWaiting());
    this.flushing = next.catch(() => {});
    return next;
  }

  private async writeWaiting() {
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.options.maxRows);
      try {
        await this.ensurePartitions(batch);
        this.written += await eventsRepo.insertEvents(this.db, batch);
      } catch (err) {
        // Put the batch back so a passing outage loses nothing; the next flush retries it.
        this.pending.unshift(...batch);
        this.timer ??= setTimeout(() => void this.flush().catch(() => {}), Math.max(this.options.maxDelayMs, 5000)).unref();
        this.options.onError?.(err);
        throw err;
      }
    }
  }

  private async ensurePartitions(batch: eventsRepo.EventRow[]) {
    if (!this.knownPartitions) {
      this.knownPartitions = new Set(await eventsRepo.existingPartitions(this.db));
      this.knownDays.clear();
    }
    // Day numbers first (arithmetic), names only for the few days not seen before.
    const missing = new Map<number, Date>();
    for (const r of batch) {
      const day = shanghaiDayNumber(r.occurredAt);
      if (!this.knownDays.has(day) && !missing.has(day)) missing.set(day, r.occurredAt);
    }
    for (const [day, at] of missing) {
      const { name } = partitionBounds(at);
      if (!this.knownPartitions.has(name)) {
        await eventsRepo.createPartition(this.db, at);
        this.knownPartitions.add(name);
      }
      this.knownDays.add(day);
    }
  }

  async close() {
    await this.flush().catch(() => {});
  }
}
