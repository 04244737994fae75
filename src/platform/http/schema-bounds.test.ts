import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { openTestDatabase, testConfig } from '../../test/harness.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { Type } from 'typebox';
import { INT4_MAX, INT4_MIN, INT8_MAX } from './schemas.ts';
import { validatorCompiler } from './validation.ts';

/**
 * Every number a client can send must be bounded in the route's schema, so a value beyond the column's
 * range is a 400 and never reaches PostgreSQL (where 2147483648 in an int4 column is a 500). The walk
 * goes over the OpenAPI document, so a new route is checked the day it is added.
 */

/** Fields that really are bigint columns (identity ids): allowed up to the largest exact JS integer. */
const INT8_FIELDS = new Set([
  'GET /api/audit query.before',
  'POST /api/notifications/read body.ids[]',
  'POST /api/screening/alerts/{id}/resolve path.id',
  'POST /api/screening/allow-proposals/{id}/decide path.id',
]);

interface JsonSchema {
  type?: string | string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  $ref?: string;
  [key: string]: unknown;
}

interface Finding {
  where: string;
  schema: JsonSchema;
}

const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;

/** Every integer or number schema under `schema`, named by where it sits (body.a.b[], query.limit). */
function numbersIn(schema: unknown, where: string, resolve: (ref: string) => unknown, seen = new Set<unknown>()): Finding[] {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const s = schema as JsonSchema;
  const out: Finding[] = [];
  if (s.$ref) out.push(...numbersIn(resolve(s.$ref), where, resolve, seen));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.includes('integer') || types.includes('number')) out.push({ where, schema: s });
  const props = s.properties as Record<string, unknown> | undefined;
  for (const [name, sub] of Object.entries(props ?? {})) out.push(...numbersIn(sub, `${where}.${name}`, resolve, seen));
  if (s.items) out.push(...numbersIn(s.items, `${where}[]`, resolve, seen));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.push(...numbersIn(s.additionalProperties, `${where}.*`, resolve, seen));
  for (const sub of Object.values((s.patternProperties as Record<string, unknown>) ?? {})) out.push(...numbersIn(sub, `${where}.*`, resolve, seen));
  for (const key of SUBSCHEMA_LISTS) for (const sub of (s[key] as unknown[]) ?? []) out.push(...numbersIn(sub, where, resolve, seen));
  for (const sub of Object.values((s.$defs as Record<string, unknown>) ?? {})) out.push(...numbersIn(sub, where, resolve, seen));
  return out;
}

let handle: DatabaseHandle;
let spec: { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, unknown> } };
let app: Awaited<ReturnType<typeof createApp>>['app'];

beforeAll(async () => {
  handle = await openTestDatabase();
  ({ app } = await createApp(handle.db, { ...testConfig, assetDir: '/nonexistent-tianfu-assets' }));
  await app.ready();
  spec = app.swagger() as typeof spec;
});
afterAll(async () => {
  await app.close();
  await handle.close();
});

function requestNumbers(): Finding[] {
  const resolve = (ref: string) => {
    const name = ref.replace(/^#\/components\/schemas\//, '');
    return spec.components?.schemas?.[name];
  };
  const found: Finding[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const route = `${method.toUpperCase()} ${path}`;
      for (const p of (op.parameters ?? []) as { in: string; name: string; schema: unknown }[]) {
        found.push(...numbersIn(p.schema, `${route} ${p.in}.${p.name}`, resolve));
      }
      for (const [type, content] of Object.entries<{ schema?: unknown }>(op.requestBody?.content ?? {})) {
        if (type.includes('json')) found.push(...numbersIn(content.schema, `${route} body`, resolve));
      }
    }
  }
  return found;
}

describe('integer bounds in every request schema', () => {
  it('finds the numbers it is meant to check (the walk itself works)', () => {
    const where = requestNumbers().map((f) => f.where);
    expect(where).toContain('PATCH /api/items/{id} body.baseRevision');
    expect(where).toContain('GET /api/audit query.before');
    expect(where).toContain('GET /api/items query.offset');
    expect(where.length).toBeGreaterThan(30);
  });

  it('every integer and number a client sends has a minimum and a maximum inside its column', () => {
    const problems: string[] = [];
    for (const { where, schema } of requestNumbers()) {
      const max = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : schema.maximum;
      const min = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : schema.minimum;
      const ceiling = INT8_FIELDS.has(where) ? INT8_MAX : INT4_MAX;
      const floor = INT8_FIELDS.has(where) ? -INT8_MAX : INT4_MIN;
      if (typeof max !== 'number') problems.push(`${where}: no maximum`);
      else if (max > ceiling) problems.push(`${where}: maximum ${max} is beyond ${ceiling}`);
      if (typeof min !== 'number') problems.push(`${where}: no minimum`);
      else if (min < floor) problems.push(`${where}: minimum ${min} is below ${floor}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the validator as a net under a forgotten bound', () => {
  const compile = (schema: object, httpPart: string) =>
    validatorCompiler({ schema, httpPart, method: 'POST', url: '/x' }) as (data: unknown) => boolean;

  it('refuses integers and numbers beyond int4 where the schema says nothing, in bodies and queries', () => {
    const body = compile(Type.Object({ n: Type.Integer(), x: Type.Optional(Type.Number()), list: Type.Optional(Type.Array(Type.Integer())) }), 'body');
    expect(body({ n: INT4_MAX })).toBe(true);
    expect(body({ n: INT4_MAX + 1 })).toBe(false);
    expect(body({ n: INT4_MIN - 1 })).toBe(false);
    expect(body({ n: 1, x: 1e19 })).toBe(false);
    expect(body({ n: 1, list: [1, 2 ** 40] })).toBe(false);
    const query = compile(Type.Object({ offset: Type.Integer({ minimum: 0 }) }), 'querystring');
    expect(query({ offset: '12' })).toBe(true);
    expect(query({ offset: '99999999999999999999' })).toBe(false);
    expect(query({ offset: '-1' })).toBe(false);
    // ajv reads the query text 1e309 as Infinity and would let it through a maximum of 50
    const limit = compile(Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }), 'querystring');
    expect(limit({ limit: '1e309' })).toBe(false);
    expect(limit({ limit: '-1e309' })).toBe(false);
    expect(limit({ limit: '50' })).toBe(true);
  });

  it('keeps a bound the schema gives, including a bigint column\'s', () => {
    const body = compile(Type.Object({ id: Type.Integer({ minimum: 1, maximum: INT8_MAX }) }), 'body');
    expect(body({ id: 2 ** 40 })).toBe(true);
    expect(body({ id: 0 })).toBe(false);
    // JSON's 1e400 is Infinity: no number at all.
    expect(compile(Type.Object({ x: Type.Number({ minimum: 0 }) }), 'body')({ x: Infinity })).toBe(false);
  });
});
