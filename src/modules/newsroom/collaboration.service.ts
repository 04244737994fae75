import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, notFound } from '../../platform/http/problem.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import { item as itemRules, requireAccess } from '../../policies/index.ts';
import type { ContentService } from '../content/service.ts';
import * as repo from './collaboration.repo.ts';
import type { Notifier } from './notifications.ts';

/** A lock lapses two minutes after its holder's editor last said it is still open. */
export const LOCK_SECONDS = 120;

const MENTION = /@([A-Za-z0-9_.-]{2,40})/g;

/** Working on one story together: soft edit locks and comments anchored to a passage. */
export class CollaborationService {
  constructor(
    private readonly db: Db,
    private readonly content: ContentService,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
    private readonly notifier: Notifier,
  ) {}

  async lock(ctx: ActorContext, itemId: string) {
    await this.content.get(ctx.actor, itemId);
    const lock = await repo.findLock(this.db, itemId);
    return lock && new Date(lock.expires_at) > new Date() ? lock : null;
  }

  /**
   * Takes or extends the lock. Someone else's live lock answers 409 naming the holder, unless the
   * caller takes over on purpose; the previous holder is told, and their next save still gets the
   * conflict check rather than overwriting.
   */
  async acquire(ctx: ActorContext, itemId: string, takeover: boolean) {
    return this.db.transaction().execute(async (trx) => {
      const item = await this.content.lockVisible(trx, ctx.actor, itemId);
      requireAccess(ctx.actor, itemRules.lock, item);
      const current = await repo.findLock(trx, itemId);
      const live = current && new Date(current.expires_at) > new Date() && current.holder_id !== ctx.actor.userId;
      if (live && !takeover) {
        throw conflict('locked', `${current.holder_name} 正在编辑这篇稿件`, `${current.holder_name} is editing this item`, {
          holder: { id: current.holder_id, name: current.holder_name, since: new Date(current.acquired_at).toISOString() },
        });
      }
      const expires = new Date(Date.now() + LOCK_SECONDS * 1000);
      await repo.putLock(trx, item.unit_id, itemId, ctx.actor.userId, expires, !current || current.holder_id !== ctx.actor.userId);
      if (live && takeover) {
        await this.audit(trx, ctx, { unitId: item.unit_id, action: 'lock.takeover', targetType: 'content_item', targetId: itemId, before: { holder: current.holder_id } });
        await this.notifier.notify(trx, { unitId: item.unit_id, userIds: [current.holder_id], kind: 'lock_taken', title: `编辑权已被接管：${item.title}`, link: `/items/${itemId}` });
      }
      return (await repo.findLock(trx, itemId))!;
    });
  }

  async release(ctx: ActorContext, itemId: string) {
    await this.content.get(ctx.actor, itemId);
    return repo.deleteLock(this.db, itemId, ctx.actor.userId);
  }

  async comments(ctx: ActorContext, itemId: string) {
    await this.content.get(ctx.actor, itemId);
    return repo.listComments(this.db, itemId);
  }

  /** A comment on a passage of a revision; @username mentions notify colleagues the author may see. */
  async comment(ctx: ActorContext, itemId: string, input: { revision: number; anchor?: { from: number; to: number; quote?: string }; body: string }) {
    requireAccess(ctx.actor, itemRules.comment);
    const item = await this.content.get(ctx.actor, itemId);
    if (input.revision > item.revision) throw badRequest('revision', `稿件只有 ${item.revision} 个版本`, `The item has ${item.revision} revisions`);
    if (input.anchor && input.anchor.to < input.anchor.from) throw badRequest('anchor', '批注范围无效', 'The anchor ends before it starts');
    const usernames = [...new Set([...input.body.matchAll(MENTION)].map((m) => m[1]!))];
    const mentioned = await this.alliance.findStaffByUsernames(ctx.actor, usernames);
    return this.db.transaction().execute(async (trx) => {
      const row = await repo.insertComment(trx, {
        unitId: item.unit_id,
        itemId,
        revision: input.revision,
        from: input.anchor?.from ?? null,
        to: input.anchor?.to ?? null,
        quote: input.anchor?.quote ?? null,
        body: input.body.trim(),
        mentions: mentioned.map((m) => m.id),
        authorId: ctx.actor.userId,
      });
      await this.audit(trx, ctx, { unitId: item.unit_id, action: 'comment.create', targetType: 'content_item', targetId: itemId, after: { comment: row.id, mentions: row.mentions } });
      await this.notifier.notify(trx, {
        unitId: item.unit_id,
        userIds: mentioned.map((m) => m.id).filter((id) => id !== ctx.actor.userId),
        kind: 'mention',
        title: `有人在《${item.title}》中提到了你`,
        body: input.body.trim().slice(0, 200),
        link: `/items/${itemId}#comment-${row.id}`,
      });
      return { ...row, author_name: (await this.alliance.displayName(ctx.actor.userId, trx)) ?? null };
    });
  }

  async resolve(ctx: ActorContext, itemId: string, commentId: string, resolved: boolean) {
    const item = await this.content.get(ctx.actor, itemId);
    requireAccess(ctx.actor, itemRules.resolveComment, item);
    const row = await repo.setResolved(this.db, itemId, commentId, resolved);
    if (!row) throw notFound({ zh: '批注', en: 'Comment' }, commentId);
    return row;
  }
}
