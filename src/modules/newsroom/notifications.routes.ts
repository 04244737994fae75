import { Type } from 'typebox';
import { requireAuth } from '../../platform/http/auth.ts';
import { DateTime, INT8_MAX, problemResponses } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { Notifier } from './notifications.ts';

const tags = ['newsroom 采编流程'];

export const NotificationSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.Union([Type.String(), Type.Null()]),
  link: Type.Union([Type.String(), Type.Null()]),
  read: Type.Boolean(),
  createdAt: DateTime,
});

type Row = Awaited<ReturnType<Notifier['list']>>[number];
const present = (n: Row) => ({
  id: Number(n.id),
  kind: n.kind,
  title: n.title,
  body: n.body,
  link: n.link,
  read: n.read_at !== null,
  createdAt: new Date(n.created_at).toISOString(),
});

const POLL_MS = 3000;

export function notificationRoutes(notifier: Notifier) {
  return async (app: HttpServer) => {
    app.get(
      '/api/notifications',
      {
        schema: {
          tags,
          summary: '我的通知 / my inbox',
          querystring: Type.Object(
            { unread: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ unread: Type.Integer(), items: Type.Array(NotificationSchema) }), ...problemResponses },
        },
      },
      async (request) => {
        const { actor } = requireAuth(request);
        const rows = await notifier.list(actor.userId, { unreadOnly: request.query.unread, limit: request.query.limit ?? 50 });
        return { unread: await notifier.unreadCount(actor.userId), items: rows.map(present) };
      },
    );

    app.post(
      '/api/notifications/read',
      {
        schema: {
          tags,
          summary: '标为已读 / mark read (ids, or all)',
          body: Type.Object({ ids: Type.Union([Type.Array(Type.Integer({ minimum: 1, maximum: INT8_MAX }), { maxItems: 500 }), Type.Literal('all')]) }, { additionalProperties: false }),
          response: { 200: Type.Object({ marked: Type.Integer() }), ...problemResponses },
        },
      },
      async (request) => ({ marked: await notifier.markRead(requireAuth(request).actor.userId, request.body.ids) }),
    );

    // Server-sent events: the console's live updates. Wakes on this process's signal, and polls so
    // notifications written by another process behind the load balancer arrive too.
    app.get('/api/notifications/stream', { schema: { tags, summary: '实时通知（SSE）/ live notifications, text/event-stream', hide: false } }, async (request, reply) => {
      const { actor } = requireAuth(request);
      const latest = await notifier.list(actor.userId, { limit: 1 });
      let lastId = latest[0] ? Number(latest[0].id) : 0;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
      res.write(': connected\n\n');
      let busy = false;
      const push = async () => {
        if (busy) return;
        busy = true;
        try {
          const rows = await notifier.list(actor.userId, { afterId: lastId, limit: 50 });
          for (const row of rows.reverse()) {
            lastId = Math.max(lastId, Number(row.id));
            res.write(`id: ${row.id}\nevent: notification\ndata: ${JSON.stringify(present(row))}\n\n`);
          }
        } finally {
          busy = false;
        }
      };
      const onSignal = () => void push();
      notifier.signal.on(actor.userId, onSignal);
      const timer = setInterval(() => {
        res.write(': ping\n\n');
        void push();
      }, POLL_MS);
      request.raw.on('close', () => {
        clearInterval(timer);
        notifier.signal.off(actor.userId, onSignal);
      });
    });
  };
}
