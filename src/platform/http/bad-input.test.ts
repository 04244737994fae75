import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type ApiResponse, type TestServer } from '../../test/harness.ts';

/**
 * Walks every route in the OpenAPI document and feeds it the mistakes clients make: wrong types,
 * missing fields, unknown fields, malformed and unknown ids, oversize and broken bodies. Each must
 * answer a 4xx problem with a message, never a 500, and leave the data as it was.
 */

interface PropertySchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: PropertySchema;
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

interface Operation {
  method: string;
  path: string;
  pathParams: { name: string; schema: { type?: string; enum?: string[] } }[];
  body?: { properties?: Record<string, PropertySchema>; required?: string[] };
  query?: { name: string; required?: boolean; schema: { type?: string; format?: string; enum?: unknown[] } }[];
}

let server: TestServer;
let operations: Operation[];

beforeAll(async () => {
  server = await startTestServer();
  const spec = (await server.client().get('/api/docs/json')).body;
  operations = [];
  for (const [path, methods] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      operations.push({
        method: method.toUpperCase(),
        path,
        body: op.requestBody?.content?.['application/json']?.schema,
        query: (op.parameters ?? []).filter((p: { in: string }) => p.in === 'query'),
        pathParams: (op.parameters ?? []).filter((p: { in: string }) => p.in === 'path'),
      });
    }
  }
});
afterAll(() => server.close());

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** Every path parameter unknown (or malformed), each in its own type: ids get a UUID, numbers a number. */
const fillTyped = (op: Operation, kind: 'unknown' | 'malformed') =>
  op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const schema = op.pathParams.find((p) => p.name === name)?.schema;
    // A fixed vocabulary (e.g. a workflow action) stays valid: the probe is about the ids.
    if (schema?.enum) return schema.enum[0]!;
    const numeric = schema?.type === 'integer';
    if (kind === 'malformed') return numeric ? 'abc' : 'not-an-id';
    return numeric ? '999999' : UNKNOWN_ID;
  }) + requiredQuery(op);

/** Valid values for the query parameters a route requires, so a probe fails only on what it changes. */
function requiredQuery(op: Operation): string {
  const parts = (op.query ?? [])
    .filter((q) => q.required)
    .map((q) => `${q.name}=${encodeURIComponent(String(q.schema.enum?.[0] ?? (q.schema.type === 'integer' ? 1 : q.schema.format === 'uuid' ? UNKNOWN_ID : 'x')))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function expectClientError(res: ApiResponse, label: string, statuses?: number[]) {
  expect(res.status, `${label} → ${res.status} ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${label} → ${res.status} ${JSON.stringify(res.body)}`).toBeLessThan(500);
  if (statuses) expect(statuses, `${label} → ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
  expect(res.headers.get('content-type'), label).toContain('application/problem+json');
  expect(typeof res.body.detail, label).toBe('string');
  expect(res.body.detail.length, label).toBeGreaterThan(0);
  expect(typeof res.body.detailEn, label).toBe('string');
}

const wrongValue = (schema: { type?: string; format?: string; enum?: unknown[] }) => {
  if (schema.type === 'string') return 12345;
  if (schema.type === 'integer' || schema.type === 'number') return 'many';
  if (schema.type === 'boolean') return 'yes';
  return { unexpected: true };
};

async function counts() {
  const tables = ['units', 'users', 'memberships', 'api_tokens'] as const;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const row = await server.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(row.n);
  }
  return out;
}

const signedIn = async (): Promise<ApiClient> => server.as('admin');

describe('bad input on every route', () => {
  it('the OpenAPI document lists the routes this test walks', () => {
    const listed = operations.map((o) => `${o.method} ${o.path}`);
    for (const expected of ['POST /api/units', 'PATCH /api/units/{id}', 'POST /api/users', 'PUT /api/users/{id}/memberships/{unitId}', 'POST /api/tokens', 'GET /api/audit']) {
      expect(listed).toContain(expected);
    }
  });

  it('malformed ids answer 400 and unknown ids answer 404', { timeout: 120_000 }, async () => {
    const c = await signedIn();
    for (const op of operations.filter((o) => o.path.includes('{'))) {
      const body = op.body ? validBody(op.body) : undefined;
      expectClientError(await c.request(op.method, fillTyped(op, 'malformed'), body), `${op.method} ${op.path} malformed id`, [400]);
      expectClientError(await c.request(op.method, fillTyped(op, 'unknown'), body), `${op.method} ${op.path} unknown id`, [404]);
    }
  });

  it('wrong types, missing fields, unknown fields and non-objects answer 400 with the field named', { timeout: 180_000 }, async () => {
    const c = await signedIn();
    for (const op of operations.filter((o) => o.body?.properties)) {
      const path = fillTyped(op, 'unknown');
      const label = `${op.method} ${op.path}`;
      for (const [field, schema] of Object.entries(op.body!.properties!)) {
        const res = await c.request(op.method, path, { ...validBody(op.body!), [field]: wrongValue(schema) });
        expectClientError(res, `${label} wrong type for ${field}`, [400]);
        expect(res.body.errors.map((e: { field: string }) => e.field).join(' '), label).toContain(field);
      }
      for (const field of op.body!.required ?? []) {
        const { [field]: _dropped, ...rest } = validBody(op.body!);
        const res = await c.request(op.method, path, rest);
        expectClientError(res, `${label} missing ${field}`, [400]);
        expect(res.body.detail).toContain(field);
      }
      expectClientError(await c.request(op.method, path, { ...validBody(op.body!), sneaky: 1 }), `${label} unknown field`, [400]);
      expectClientError(await c.request(op.method, path, [1, 2]), `${label} array body`, [400]);
      expectClientError(await c.request(op.method, path, '{"broken":'), `${label} broken JSON`, [400]);
      expectClientError(await c.request(op.method, path, 'hello', { 'content-type': 'text/plain' }), `${label} text body`, [400, 415]);
    }
  });

  it('oversize bodies answer 413', async () => {
    const c = await signedIn();
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    for (const op of operations.filter((o) => o.body)) {
      expectClientError(await c.request(op.method, fillTyped(op, 'unknown'), huge), `${op.method} ${op.path} oversize`, [413]);
    }
  });

  it('bad query parameters answer 400', async () => {
    const c = await signedIn();
    for (const op of operations.filter((o) => o.method === 'GET' && o.query?.length)) {
      const path = fillTyped(op, 'unknown');
      expectClientError(await c.get(`${path}?unknownParam=1`), `${op.path} unknown param`, [400]);
      for (const q of op.query!) {
        const bad = q.schema.type === 'string' ? 'x'.repeat(500) : 'not-a-number';
        expectClientError(await c.get(`${path}?${q.name}=${bad}`), `${op.path} ?${q.name}=${bad.slice(0, 10)}`, [400]);
      }
    }
  });

  it('unknown API paths answer a 404 problem', async () => {
    const c = await signedIn();
    expectClientError(await c.get('/api/no-such-thing'), 'unknown path', [404]);
    expectClientError(await c.post('/api/units/whatever/else', {}), 'unknown nested path', [404]);
  });

  it('left no half-written data behind', async () => {
    const before = await counts();
    const c = await signedIn();
    const chengdu = (await c.get('/api/units?kind=city')).body.items[0].id;
    // A valid user whose membership fails (a role the caller may not grant is fine for admin, so use an inactive unit).
    const off = await c.post('/api/units', { parentId: chengdu, kind: 'zone', name: '停用测试区' });
    await c.patch(`/api/units/${off.body.id}`, { active: false });
    const failed = await c.post('/api/users', { username: 'half_written', displayName: '半截', password: 'Long-enough-pass1', unitId: off.body.id, role: 'reporter' });
    expectClientError(failed, 'user into inactive unit', [409]);
    expect(await server.db.selectFrom('users').select('id').where('username', '=', 'half_written').executeTakeFirst()).toBeUndefined();
    const after = await counts();
    expect(after).toEqual({ ...before, units: before.units + 1 });
  });
});

/** A body that passes validation, so each probe changes exactly one thing. */
function validBody(schema: NonNullable<Operation['body']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = schema.required?.length ? schema.required : Object.keys(schema.properties ?? {}).slice(0, 1);
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    if (!required.includes(k)) continue;
    out[k] = validValue(k, s);
  }
  return out;
}

function validValue(k: string, s: PropertySchema): unknown {
  if (s.enum) return s.enum[0];
  if (s.format === 'uuid') return UNKNOWN_ID;
  if (s.format === 'date-time') return new Date(Date.now() + 3600_000).toISOString();
  if (s.format === 'uri') return 'https://example.com/';
  if (s.type === 'array') return s.items ? [validValue(k, s.items)] : [];
  if (s.type === 'string') return k === 'password' ? 'Long-enough-pass1' : 'valid_value';
  if (s.type === 'integer' || s.type === 'number') return 1;
  if (s.type === 'boolean') return true;
  // Nested objects (e.g. a list of terms) are filled the same way, so the probe reaches the id check.
  if (s.properties) return validBody(s);
  return {};
}
