import { EventEmitter } from 'node:events';
import type { Db } from '../../platform/db/database.ts';
import type { JobQueue } from '../../platform/jobs.ts';

export interface NewNotification {
  unitId: string;
  userIds: string[];
  kind: 'assignment' | 'return' | 'approval' | 'signoff' | 'mention' | 'deadline' | 'review_needed' | 'lock_taken' | 'topic' | 'publish';
  title: string;
  body?: string | null;
  link?: string | null;
}

export const WEBHOOK_JOB = 'newsroom.webhook';

/**
 * 通知: the in-app inbox. Rows are written in the caller's transaction; the live stream (SSE) wakes
 * on the in-process signal and also polls, so a notification written by another process still
 * arrives within a few seconds. Units' webhooks get the same events through a job.
 */
export class Notifier {
  readonly signal = new EventEmitter();

  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
  ) {
    this.signal.setMaxListeners(0);
  }

  async notify(trx: Db, n: NewNotification) {
    const userIds = [...new Set(n.userIds)];
    if (userIds.length) {
      await trx
        .insertInto('notifications')
        .values(userIds.map((user_id) => ({ unit_id: n.unitId, user_id, kind: n.kind, title: n.title, body: n.body ?? null, link: n.link ?? null })))
        .execute();
    }
    await this.jobs.enqueue(trx, WEBHOOK_JOB, { unitId: n.unitId, event: n.kind, title: n.title, body: n.body ?? null, link: n.link ?? null });
    // After the caller's transaction commits the rows become visible; wake listeners a moment later.
    setTimeout(() => {
      for (const id of userIds) this.signal.emit(id);
    }, 50).unref();
  }

  list(userId: string, opts: { unreadOnly?: boolean; afterId?: number; limit: number }) {
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .$if(!!opts.unreadOnly, (q) => q.where('read_at', 'is', null))
      .$if(opts.afterId !== undefined, (q) => q.where('id', '>', opts.afterId!))
      .orderBy('id', 'desc')
      .limit(opts.limit)
      .execute();
  }

  async unreadCount(userId: string) {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async markRead(userId: string, ids: number[] | 'all') {
    let q = this.db.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null);
    if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : [-1]);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  }
}
