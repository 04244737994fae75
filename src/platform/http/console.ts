import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { sendProblem } from './errors.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { notFoundProblem, type HttpServer } from './server.ts';
import { staticFile } from './static-file.ts';

export const consoleDist = path.resolve(import.meta.dirname, '../../../web/dist');

/**
 * Serves the built console (web/dist) and answers any non-API path with its index page so the
 * console's own router can take it. Without a build the API still works and `/` says how to build.
 * Its pages are sent with a CSP and may not be framed (security-headers.ts).
 */
export async function serveConsole(app: HttpServer, dist = consoleDist) {
  // On the root instance, so every answer gets them: the console's pages, the API docs and the API.
  installSecurityHeaders(app);
  // One icon for the console's tabs and every portal page, served even before the console is built.
  const favicon = staticFile(new URL('./favicon.svg', import.meta.url), 'public, max-age=86400', 'image/svg+xml');
  for (const url of ['/favicon.svg', '/favicon.ico']) app.get(url, { schema: { hide: true } }, favicon);
  const built = fs.existsSync(path.join(dist, 'index.html'));
  // wildcard: files are looked up per request, so a rebuilt console is served without a restart.
  if (built) await app.register(fastifyStatic, { root: dist, wildcard: true, maxAge: '1h', immutable: false });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    // A missing script must not come back as the index page: the browser would refuse it as text/html.
    const isFile = url.startsWith('/api/') || url.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(url);
    if (isFile || request.method !== 'GET') return sendProblem(reply, notFoundProblem(url));
    if (!built) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('控制台尚未构建，请运行 npm run build:web / The console is not built: run npm run build:web');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
