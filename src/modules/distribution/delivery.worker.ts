import type { Db } from '../../platform/db/database.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import * as channelsRepo from './channels.repo.ts';
import type { ChannelService } from './channels.service.ts';
import { DeliveryError, type DeliveryRequest, type DeliveryResult, type MediaLoader } from './contract.ts';
import * as repo from './deliveries.repo.ts';
import { DRAIN_JOB, type OutboxService } from './outbox.service.ts';
import type { ChannelRow, DeliveryRow } from './tables.ts';

export interface WorkerOptions {
  /** How long one adapter call may take before its outcome counts as unknown. */
  deliverTimeoutMs: number;
  /** A leased row not settled by then is presumed abandoned (worker killed) and reconciled. */
  leaseMs: number;
  maxAttempts: number;
  /** First retry delay; doubles per attempt (±20 % jitter), capped at maxBackoffMs. */
  backoffBaseMs: number;
  maxBackoffMs: number;
  /** Rows leased per round, and adapter calls in flight at once. */
  batchSize: number;
  concurrency: number;
}

/** How much longer than an adapter's deadline its lease lasts (settling and reconciling take time too). */
const LEASE_MARGIN_MS = 60_000;

export const defaultWorkerOptions: WorkerOptions = {
  deliverTimeoutMs: 30_000,
  leaseMs: 90_000,
  maxAttempts: 8,
  backoffBaseMs: 10_000,
  maxBackoffMs: 3600_000,
  batchSize: 50,
  concurrency: 16,
};

export type MediaLoaderFor = (channel: ChannelRow) => MediaLoader;

/**
 * 多元传播, the delivering half. A drain leases due outbox rows, respects each channel's rate limit
 * (a token bucket in the database, shared by all workers), and settles each row by what the adapter said:
 *
 *  - delivered: remote id and link kept;
 *  - retry / rate_limited: back to queued with exponential backoff (or the platform's Retry-After);
 *  - unknown (sent, no answer; timeout after send; or the lease ran out because the worker died):
 *    marked `unknown`, and the next attempt first asks adapter.reconcile whether it landed — only a
 *    "no" sends again, so a story is never posted twice;
 *  - rejected / auth: failed, with the reason shown to the editors (a chief editor may retry).
 */
export class DeliveryWorker {
  readonly options: WorkerOptions;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly channels: ChannelService,
    private readonly outbox: OutboxService,
    private readonly media: MediaLoaderFor,
    options: Partial<WorkerOptions> = {},
  ) {
    this.options = { ...defaultWorkerOptions, ...options };
  }

  /** Stops taking new rows (what is in flight finishes); for tests that simulate a worker going away. */
  stop() {
    this.stopped = true;
  }

  /** Delivers everything due, then asks to be woken when the next row falls due. */
  async drain(): Promise<{ delivered: number; settled: number; expired: number }> {
    const expired = await repo.expireLeases(this.db);
    let delivered = 0;
    let settled = 0;
    while (!this.stopped) {
      const rows = await repo.claim(this.db, this.options.batchSize, this.options.leaseMs);
      if (!rows.length) break;
      await inParallel(rows, this.options.concurrency, async (row) => {
        const outcome = await this.process(row);
        settled++;
        if (outcome === 'delivered') delivered++;
      });
    }
    // Wake for the next row due within two minutes (the minute cron covers later ones). Rows due now
    // but not leased wait behind an unsettled row of their channel and item: look again shortly.
    const next = await repo.nextDue(this.db);
    if (next && !this.stopped && next.getTime() < Date.now() + 120_000) await this.outbox.wake(this.db, new Date(Math.max(next.getTime(), Date.now() + 5000)));
    return { delivered, settled, expired };
  }

  jobs(): JobDefinition[] {
    // The cron is the safety net: leases of killed workers expire and their rows get reconciled.
    return [{ name: DRAIN_JOB, cron: '* * * * *', handler: () => this.drain() }];
  }

  /** One leased row, to its end state for this attempt. */
  async process(row: DeliveryRow): Promise<string> {
    const channel = await channelsRepo.findChannel(this.db, row.channel_id);
    const adapter = channel && this.channels.adapters.get(channel.kind);
    if (!channel || !adapter) {
      await repo.settle(this.db, row, { status: 'failed', failure: 'rejected', lastError: '渠道或其适配器不存在 / the channel or its adapter is missing' });
      return 'failed';
    }
    if (channel.rate_limit_per_minute) {
      const burst = Math.max(1, Math.ceil(channel.rate_limit_per_minute / 6));
      const waitMs = await channelsRepo.takeToken(this.db, channel.id, channel.rate_limit_per_minute, burst);
      if (waitMs > 0) {
        // Not an attempt: the row goes back as it was, due when a token will be there.
        await repo.settle(this.db, row, { status: row.needs_reconcile ? 'unknown' : 'queued', attempts: row.attempts - 1, nextAttemptAt: new Date(Date.now() + waitMs) });
        return 'throttled';
      }
    }
    let remote: DeliveryRequest['remote'] = null;
    if (row.action !== 'publish') {
      const last = await repo.lastDelivered(this.db, row);
      if (!last?.remote_id) {
        const note = row.action === 'update' ? '此前的发布未成功，无可更新 / the earlier publication did not succeed; nothing to update' : '此前未成功发布，无需撤回 / never published here; nothing to take down';
        await repo.settle(this.db, row, { status: 'skipped', failure: 'skipped', note });
        return 'skipped';
      }
      remote = { id: last.remote_id, url: last.remote_url };
    }
    let ref: DeliveryRequest['channel'];
    try {
      ref = this.channels.refFor(channel);
    } catch (err) {
      // Credentials that no longer decrypt (the key was changed) are for an admin to re-enter; nothing was sent.
      // A retry (after re-entering them) still reconciles first if an earlier send was in doubt.
      await repo.settle(this.db, row, { status: 'failed', failure: 'auth', lastError: (err as Error).message });
      return 'failed';
    }
    // A platform that needs longer (Douyin's chunked video upload, WeChat's publish wait) says so; the
    // lease is stretched past that deadline so no other worker takes the row for abandoned meanwhile.
    const deadline = adapter.deliverTimeoutMs ?? this.options.deliverTimeoutMs;
    if (adapter.deliverTimeoutMs && deadline + LEASE_MARGIN_MS > this.options.leaseMs && !(await repo.extendLease(this.db, row, deadline + LEASE_MARGIN_MS))) return 'lost';
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), deadline);
    const req: DeliveryRequest = {
      deliveryId: row.id,
      idempotencyKey: row.idempotency_key,
      action: row.action,
      channel: ref,
      rendition: row.rendition!,
      remote,
      media: this.media(channel),
      signal: abort.signal,
      source: row.source ?? undefined,
      retractionNote: row.action === 'retract' ? row.note : undefined,
    };
    // Whether an earlier send may have landed and nobody has checked yet.
    let unsure = row.needs_reconcile;
    try {
      if (unsure) {
        const found = await adapter.reconcile(req);
        if (found) return await this.delivered(row, found, '核对确认已送达 / confirmed on the channel by reconciliation');
        unsure = false;
      }
      return await this.delivered(row, await adapter.deliver(req));
    } catch (err) {
      return await this.failed(row, classify(err, abort.signal.aborted), unsure);
    } finally {
      clearTimeout(timer);
    }
  }

  private async delivered(row: DeliveryRow, result: DeliveryResult, note?: string) {
    await repo.settle(this.db, row, { status: 'delivered', remoteId: result.remoteId, remoteUrl: result.remoteUrl, lastError: null, failure: null, needsReconcile: false, ...(note ? { note } : {}) });
    return 'delivered';
  }

  private async failed(row: DeliveryRow, err: DeliveryError, unsure: boolean) {
    const reason = err.message;
    const exhausted = row.attempts >= this.options.maxAttempts;
    switch (err.failure) {
      case 'rejected':
      case 'auth':
        await repo.settle(this.db, row, { status: 'failed', failure: err.failure, lastError: reason, needsReconcile: unsure });
        return 'failed';
      case 'rate_limited':
        await repo.settle(this.db, row, {
          status: unsure ? 'unknown' : 'queued',
          needsReconcile: unsure,
          attempts: row.attempts - 1,
          failure: 'rate_limited',
          lastError: reason,
          nextAttemptAt: new Date(Date.now() + (err.detail.retryAfterMs ?? this.backoff(row.attempts))),
        });
        return 'throttled';
      case 'unknown':
        // Failing is the safe end when even reconciling does not settle it: an editor checks the channel.
        await repo.settle(this.db, row, {
          status: exhausted ? 'failed' : 'unknown',
          failure: 'unknown',
          needsReconcile: true,
          lastError: reason,
          nextAttemptAt: new Date(Date.now() + this.backoff(row.attempts)),
        });
        return exhausted ? 'failed' : 'unknown';
      case 'retry':
        await repo.settle(this.db, row, {
          status: exhausted ? 'failed' : unsure ? 'unknown' : 'queued',
          needsReconcile: unsure,
          failure: 'retry',
          lastError: reason,
          nextAttemptAt: new Date(Date.now() + this.backoff(row.attempts)),
        });
        return exhausted ? 'failed' : 'retry';
    }
  }

  backoff(attempt: number) {
    const raw = Math.min(this.options.maxBackoffMs, this.options.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(raw * (0.8 + Math.random() * 0.4));
  }
}

/** Whatever an adapter threw, as a DeliveryError; anything thrown after the deadline passed is unknown. */
function classify(err: unknown, timedOut: boolean): DeliveryError {
  if (timedOut && !(err instanceof DeliveryError && (err.failure === 'rejected' || err.failure === 'auth'))) {
    return new DeliveryError('unknown', `超时未得到应答 / no answer in time: ${(err as Error).message}`);
  }
  if (err instanceof DeliveryError) return err;
  // An adapter's unexpected error: we cannot tell whether it sent, so reconcile first.
  return new DeliveryError('unknown', (err as Error)?.message ?? String(err));
}

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++]!);
  });
  await Promise.all(lanes);
}
