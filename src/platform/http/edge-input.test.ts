import net from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type ApiResponse, type TestServer } from '../../test/harness.ts';

/**
 * What an outside probe sent that used to answer 500 or Fastify's own JSON: NUL bytes, numbers beyond
 * a column's range, deep nesting and invalid UTF-8 in the path. Each must be a 4xx problem+json with a
 * message, and leave every table as it was.
 */

let server: TestServer;
let reporter: ApiClient;
let itemId: string;

beforeAll(async () => {
  server = await startTestServer();
  reporter = await server.as('jinjiang_reporter');
  const created = await reporter.post('/api/items', { type: 'article', title: '边界测试稿', body: paragraphDoc('正文') });
  expect(created.status).toBe(201);
  itemId = created.body.id;
});
afterAll(() => server.close());

const paragraphDoc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** A doc whose paragraph sits `levels` blockquotes deep. */
function blockquoteDoc(levels: number) {
  let node: Record<string, unknown> = { type: 'paragraph', content: [{ type: 'text', text: '深处' }] };
  for (let i = 0; i < levels; i++) node = { type: 'blockquote', content: [node] };
  return { type: 'doc', content: [node] };
}

function expectProblem(res: ApiResponse, label: string, status = 400, code?: string) {
  const shown = `${label} → ${res.status} ${res.headers.get('content-type')} ${JSON.stringify(res.body).slice(0, 300)}`;
  expect(res.status, shown).toBe(status);
  expect(res.headers.get('content-type'), shown).toContain('application/problem+json');
  expect(res.body.status, shown).toBe(status);
  if (code) expect(res.body.code, shown).toBe(code);
  expect(res.body.detail, shown).toMatch(/[\u4e00-\u9fff]/);
  expect(typeof res.body.detailEn, shown).toBe('string');
  expect(res.headers.get('x-request-id'), shown).toBeTruthy();
}

const TABLES = ['users', 'sessions', 'content_items', 'content_revisions', 'assets', 'audit_log', 'notifications'] as const;
async function counts() {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const row = await server.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(row.n);
  }
  return out;
}

async function storedItem() {
  return server.db.selectFrom('content_items').select(['title', 'revision', 'body']).where('id', '=', itemId).executeTakeFirstOrThrow();
}

describe('NUL bytes', () => {
  it('in a body string, a body key or a query string answer 400 nul_byte, signed in or not', async () => {
    const before = await counts();
    const item = await storedItem();
    const anonymous = server.client();
    // The login route is open to anyone: the probe's unauthenticated 500.
    expectProblem(await anonymous.post('/api/session', { username: 'admin\u0000', password: 'whatever-pass' }), 'login username', 400, 'nul_byte');
    expectProblem(await anonymous.post('/api/session', { username: 'admin', password: 'x\u0000y' }), 'login password', 400, 'nul_byte');
    expectProblem(await anonymous.post('/api/session', { username: 'admin', password: 'whatever-pass', ['k\u0000']: 1 }), 'login key', 400, 'nul_byte');
    // Authenticated writes: a string, and a key inside free-form doc attrs that would reach jsonb.
    expectProblem(await reporter.patch(`/api/items/${itemId}`, { title: '标题\u0000注入' }), 'item title', 400, 'nul_byte');
    const keyDoc = { type: 'doc', content: [{ type: 'paragraph', attrs: { ['align\u0000']: 'left' }, content: [{ type: 'text', text: 'x' }] }] };
    expectProblem(await reporter.patch(`/api/items/${itemId}`, { body: keyDoc }), 'doc attrs key', 400, 'nul_byte');
    expectProblem(await reporter.post('/api/items', { type: 'article', title: '新稿', body: paragraphDoc('a\u0000b') }), 'new item text', 400, 'nul_byte');
    // Query strings, percent-encoded as a browser or curl would send them.
    expectProblem(await reporter.get('/api/items?category=%00'), 'items category', 400, 'nul_byte');
    const admin = await server.as('admin');
    expectProblem(await admin.get('/api/audit?action=item.%00create'), 'audit action', 400, 'nul_byte');
    expectProblem(await admin.get('/api/users?q=a%00'), 'users q', 400, 'nul_byte');
    expectProblem(await anonymous.get(`/api/items/${itemId}%00`), 'path', 400, 'nul_byte');
    expect(await storedItem()).toEqual(item);
    // Only the admin's own sign-in above added a session and an audit row.
    const after = await counts();
    expect(after).toEqual({ ...before, sessions: after.sessions, audit_log: after.audit_log });
    expect(after.sessions - before.sessions).toBeLessThanOrEqual(1);
  });

  it('in a multipart form field (not JSON, so past the edge) still answers 400, and no asset is kept', async () => {
    const before = await counts();
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } }).png().toBuffer();
    const form = new FormData();
    form.append('caption', '说明\u0000注入');
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'nul.png');
    const res = await fetch(`${server.url}/api/assets`, { method: 'POST', body: form, headers: { cookie: reporter.cookie, 'x-csrf-token': reporter.csrf } });
    const problem = { status: res.status, headers: res.headers, body: await res.json() };
    expectProblem(problem, 'multipart caption', 400, 'nul_byte');
    expect(await counts()).toEqual(before);
  });

  it('an escaped backslash before "u0000" is ordinary text, not a NUL', async () => {
    const res = await reporter.patch(`/api/items/${itemId}`, { summary: 'C:\\u0000\\path' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary).toBe('C:\\u0000\\path');
  });
});

describe('numbers beyond the column', () => {
  it('2147483648 and 20-digit integers in bodies, paths and queries answer 400 and change nothing', async () => {
    const before = await counts();
    const item = await storedItem();
    const admin = await server.as('admin');
    const afterLogin = await counts();
    const huge = '99999999999999999999';
    expectProblem(await reporter.patch(`/api/items/${itemId}`, { title: '改', baseRevision: 2147483648 }), 'baseRevision int4+1');
    expectProblem(await reporter.patch(`/api/items/${itemId}`, `{"title":"改","baseRevision":${huge}}`), 'baseRevision 20 digits');
    expectProblem(await reporter.post(`/api/items/${itemId}/workflow/submit`, { revision: 2147483648 }), 'workflow revision');
    expectProblem(await reporter.post(`/api/items/${itemId}/comments`, { revision: 1, anchor: { from: 0, to: 2147483648 }, body: '批注' }), 'comment anchor');
    expectProblem(await reporter.get(`/api/items/${itemId}/revisions/2147483648`), 'revision number path');
    expectProblem(await reporter.get(`/api/items/${itemId}/diff?from=1&to=${huge}`), 'diff to');
    expectProblem(await admin.get(`/api/audit?before=${huge}`), 'audit before');
    expectProblem(await reporter.get(`/api/items?offset=${huge}`), 'items offset');
    expectProblem(await reporter.get(`/api/screening/alerts?offset=${huge}`), 'alerts offset');
    expectProblem(await reporter.get(`/api/screening/alerts?offset=2147483648`), 'alerts offset int4+1');
    expectProblem(await reporter.post('/api/notifications/read', `{"ids":[${huge}]}`), 'notification ids');
    expectProblem(await reporter.post(`/api/screening/alerts/${huge}/resolve`, {}), 'alert id path');
    // The audit log's ids are bigint: beyond int4 is a fine page cursor, not an error.
    expect((await admin.get('/api/audit?before=2147483648')).status).toBe(200);
    expect(await storedItem()).toEqual(item);
    expect(await counts()).toEqual(afterLogin);
    expect(afterLogin.content_items).toBe(before.content_items);
  });
});

describe('nesting depth', () => {
  it('a 2,000-level JSON body answers 400 before validation, on open and signed-in routes', async () => {
    const before = await counts();
    const deepArray = `${'['.repeat(2000)}${']'.repeat(2000)}`;
    expectProblem(await server.client().post('/api/session', `{"username":"admin","password":${deepArray}}`), 'login deep array', 400, 'too_deep');
    expectProblem(await reporter.post('/api/items', { type: 'article', title: '深', body: blockquoteDoc(2000) }), 'item doc 2000', 400, 'too_deep');
    expectProblem(await reporter.patch(`/api/items/${itemId}`, `{"summary":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`), 'deep object', 400, 'too_deep');
    expect(await counts()).toEqual(before);
  });

  it('a 1,800-level blockquote is refused on create and update, and nothing is stored', async () => {
    const before = await counts();
    const item = await storedItem();
    expectProblem(await reporter.post('/api/items', { type: 'article', title: '深引用', body: blockquoteDoc(1800) }), 'create 1800');
    expectProblem(await reporter.patch(`/api/items/${itemId}`, { body: blockquoteDoc(1800) }), 'update 1800');
    expect(await storedItem()).toEqual(item);
    expect(await counts()).toEqual(before);
  });

  it('a doc nested deeper than an editor can use is refused with a message about the nesting', async () => {
    const before = await counts();
    const item = await storedItem();
    for (const res of [
      await reporter.post('/api/items', { type: 'article', title: '深引用', body: blockquoteDoc(40) }),
      await reporter.patch(`/api/items/${itemId}`, { body: blockquoteDoc(40) }),
    ]) {
      expectProblem(res, 'doc 40 levels', 400, 'doc_too_deep');
      expect(res.body.detail).toContain('嵌套');
    }
    expect(await storedItem()).toEqual(item);
    expect(await counts()).toEqual(before);
  });

  it('a doc at the limit (32 levels, a link on the deepest text) is saved, one level more is refused', async () => {
    const atLimit = blockquoteDoc(29);
    let deepest = atLimit.content[0] as { content: Record<string, unknown>[] };
    while (deepest.content[0]!.type !== 'text') deepest = deepest.content[0] as typeof deepest;
    deepest.content[0]!.marks = [{ type: 'link', attrs: { href: 'https://example.com/' } }];
    const res = await reporter.patch(`/api/items/${itemId}`, { body: atLimit });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const stored = await server.db.selectFrom('content_items').select('body_html').where('id', '=', itemId).executeTakeFirstOrThrow();
    expect(stored.body_html.match(/<blockquote>/g)).toHaveLength(29);
    expect(stored.body_html).toContain('<a href="https://example.com/"');
    expectProblem(await reporter.patch(`/api/items/${itemId}`, { body: blockquoteDoc(30) }), 'one level past the limit', 400, 'doc_too_deep');
  });
});

describe('invalid UTF-8 and other malformed URLs', () => {
  it('answer a 400 problem, not Fastify\'s own JSON', async () => {
    const c = server.client();
    expectProblem(await c.get('/api/items/%E4%B8'), 'truncated UTF-8 in an id');
    expectProblem(await c.get('/%FF'), 'invalid byte at the root');
    expectProblem(await reporter.get('/api/items/%C0%AF'), 'overlong encoding');
    expectProblem(await reporter.post('/api/items/%ED%A0%80/share', {}), 'lone surrogate on a write');
    // The router may refuse an over-long parameter itself (414) or find no route for it (404): either way a problem.
    const long = await reporter.get(`/api/items/${'a'.repeat(200)}`);
    expectProblem(long, 'over-long path parameter', long.status === 414 ? 414 : 404);
  });

  it('a request the HTTP parser cannot read answers problem+json too', async () => {
    const url = new URL(server.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.write('GET /api/items HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n');
      });
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('application/problem+json');
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body.code).toBe('bad_http_request');
    expect(body.detail).toMatch(/[\u4e00-\u9fff]/);
  });
});
