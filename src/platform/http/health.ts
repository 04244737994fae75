import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Db } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import type { HttpServer } from './server.ts';

/** /healthz: the process answers. /readyz: the database answers and the schema is current. */
export function healthRoutes(db: Db) {
  return async (app: HttpServer) => {
    app.get('/healthz', { schema: { tags: ['ops 运维'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({
      status: 'ok' as const,
    }));
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['ops 运维'],
          response: {
            200: Type.Object({ status: Type.String(), pendingMigrations: Type.Array(Type.String()) }),
            503: Type.Object({ status: Type.String(), error: Type.String() }),
          },
        },
      },
      async (_request, reply) => {
        try {
          await sql`select 1`.execute(db);
          const pending = await pendingMigrations(db);
          if (pending.length) return reply.code(503).send({ status: 'migrating', error: `pending: ${pending.join(', ')}` });
          return { status: 'ready', pendingMigrations: pending };
        } catch (err) {
          return reply.code(503).send({ status: 'unavailable', error: (err as Error).message });
        }
      },
    );
  };
}
