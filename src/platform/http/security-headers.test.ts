import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole } from './console.ts';
import { createHttpServer, type HttpServer } from './server.ts';

/**
 * The console and the API docs may not be framed (clickjacking) and run only their own scripts;
 * every answer, the API's included, is nosniff; pages that set their own policy keep it.
 */

let app: HttpServer;
let dist: string;

beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'tianfu-console-'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>控制台</title><div id="root"></div><script type="module" src="/assets/index.js"></script>');
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'assets', 'index.js'), 'console.log(1)');
  app = await createHttpServer({ logLevel: 'silent', bodyLimitBytes: 1024 * 1024 });
  // Registered before the console, as the modules' routes are.
  app.get('/api/things', async () => ({ items: [] }));
  app.get('/portal/x', async (_request, reply) =>
    reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'self'").type('text/html; charset=utf-8').send('<p>portal</p>'),
  );
  await serveConsole(app, dist);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

const directives = (csp: string | undefined) => new Map((csp ?? '').split(/\s*;\s*/).filter(Boolean).map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1)]));

describe('security headers', () => {
  it('sends the console page (any console path) with a CSP that forbids framing and foreign or inline script', async () => {
    for (const url of ['/', '/hub', '/items/123?tab=history']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      const csp = directives(res.headers['content-security-policy'] as string);
      expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(csp.get('script-src'), url).toEqual(["'self'"]);
      expect(csp.get('default-src'), url).toEqual(["'self'"]);
      expect(csp.get('base-uri'), url).toEqual(["'none'"]);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
    }
    const script = await app.inject({ url: '/assets/index.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['x-content-type-options']).toBe('nosniff');
  });

  it('gives the API docs a policy of their own and every API answer nosniff', async () => {
    const docs = await app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui-bundle.js');
    const csp = directives(docs.headers['content-security-policy'] as string);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(docs.headers['x-frame-options']).toBe('DENY');
    for (const url of ['/api/docs/json', '/api/docs/static/swagger-ui-bundle.js', '/api/things', '/api/nothing-here']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(url === '/api/nothing-here' ? 404 : 200);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('leaves a page that set its own policy as it is', async () => {
    const res = await app.inject({ url: '/portal/x' });
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'self'");
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
