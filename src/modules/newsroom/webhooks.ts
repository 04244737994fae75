import crypto from 'node:crypto';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { OutboundError, type OutboundHttpClient } from '../../platform/http-client/outbound.ts';
import { sign } from '../../platform/http-client/signature.ts';
import { badRequest, notFound } from '../../platform/http/problem.ts';
import { requireAccess, webhook } from '../../policies/index.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import type { ActorContext } from '../alliance/service.ts';
import { WEBHOOK_JOB } from './notifications.ts';

export const webhookEvents = ['assignment', 'return', 'approval', 'signoff', 'mention', 'deadline', 'review_needed', 'lock_taken', 'topic', 'publish'] as const;

// The signing scheme lives with the HTTP client, shared with the distribution module's webhook channels.
export { sign };

interface WebhookEvent {
  unitId: string;
  event: string;
  title: string;
  body: string | null;
  link: string | null;
}

/** 单位 webhooks: the newsroom's events pushed to a unit's own systems, signed. */
export class WebhookService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRecorder,
    private readonly http: OutboundHttpClient,
  ) {}

  list(ctx: ActorContext) {
    requireAccess(ctx.actor, webhook.manage);
    return this.db
      .selectFrom('unit_webhooks')
      .select(['id', 'url', 'events', 'active', 'created_at', 'last_status', 'last_error'])
      .where('unit_id', '=', ctx.actor.unitId)
      .orderBy('created_at')
      .execute();
  }

  async create(ctx: ActorContext, input: { url: string; events: string[] }) {
    requireAccess(ctx.actor, webhook.manage);
    try {
      this.http.checkUrl(input.url);
    } catch (err) {
      if (!(err instanceof OutboundError)) throw err;
      throw badRequest('webhook_url', `无法使用该地址：${err.zh}`, `This address cannot be used: ${err.message}`);
    }
    const secret = crypto.randomBytes(24).toString('base64url');
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('unit_webhooks')
        .values({ unit_id: ctx.actor.unitId, url: input.url, secret, events: [...new Set(input.events)], created_by: ctx.actor.userId })
        .returning(['id', 'url', 'events', 'active', 'created_at', 'last_status', 'last_error'])
        .executeTakeFirstOrThrow();
      await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: 'webhook.create', targetType: 'webhook', targetId: row.id, after: { url: row.url, events: row.events } });
      return { ...row, secret };
    });
  }

  async remove(ctx: ActorContext, id: string) {
    requireAccess(ctx.actor, webhook.manage);
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.deleteFrom('unit_webhooks').where('unit_id', '=', ctx.actor.unitId).where('id', '=', id).returning(['url', 'events']).executeTakeFirst();
      if (!row) throw notFound({ zh: 'Webhook', en: 'Webhook' }, id);
      await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: 'webhook.delete', targetType: 'webhook', targetId: id, before: row });
    });
  }

  /** Delivers one event to every active hook of its unit that wants it; failures are recorded and retried by the queue. */
  async deliver(event: WebhookEvent) {
    const hooks = await this.db
      .selectFrom('unit_webhooks')
      .select(['id', 'url', 'secret'])
      .where('unit_id', '=', event.unitId)
      .where('active', '=', true)
      .where((eb) => eb(eb.val(event.event), '=', eb.fn.any('events')))
      .execute();
    let failed = 0;
    for (const hook of hooks) {
      const body = JSON.stringify({ event: event.event, unitId: event.unitId, title: event.title, body: event.body, link: event.link, sentAt: new Date().toISOString() });
      const timestamp = String(Math.floor(Date.now() / 1000));
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await this.http.request(hook.url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'x-tianfu-event': event.event, 'x-tianfu-timestamp': timestamp, 'x-tianfu-signature': sign(hook.secret, timestamp, body) },
        });
        status = res.status;
        if (res.status >= 300) error = `HTTP ${res.status}`;
      } catch (err) {
        error = (err as Error).message;
      }
      if (error) failed++;
      await this.db.updateTable('unit_webhooks').set({ last_status: status, last_error: error }).where('id', '=', hook.id).execute();
    }
    if (failed) throw new Error(`${failed} webhook deliveries failed`);
    return { delivered: hooks.length };
  }

  jobs(): JobDefinition[] {
    return [{ name: WEBHOOK_JOB, handler: (data) => this.deliver(data as WebhookEvent) }];
  }
}
