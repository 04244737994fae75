import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { sendProblem } from './errors.ts';
import { notFoundProblem, type HttpServer } from './server.ts';

export const consoleDist = path.resolve(import.meta.dirname, '../../../web/dist');

/**
 * Serves the built console (web/dist) and answers any non-API path with its index page so the
 * console's own router can take it. Without a build the API still works and `/` says how to build.
 */
export async function serveConsole(app: HttpServer, dist = consoleDist) {
  const built = fs.existsSync(path.join(dist, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: dist, wildcard: false, maxAge: '1h', immutable: false });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    if (url.startsWith('/api/') || request.method !== 'GET') return sendProblem(reply, notFoundProblem(url));
    if (!built) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('控制台尚未构建，请运行 npm run build:web / The console is not built: run npm run build:web');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
