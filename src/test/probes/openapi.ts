import type { TestServer } from '../harness.ts';

/** The slice of JSON Schema (as @fastify/swagger writes it) the probes read. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  default?: unknown;
}

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  path: string;
  key: string;
  pathParams: Param[];
  query: Param[];
  body?: Schema;
  /** A multipart or other non-JSON body (uploads). */
  rawBody: boolean;
}

export interface ApiDoc {
  operations: Operation[];
  definitions: Record<string, Schema>;
}

/** Every operation the running app documents: the source of truth the probes walk. */
export async function loadApiDoc(server: TestServer): Promise<ApiDoc> {
  const res = await server.client().get('/api/docs/json');
  if (res.status !== 200) throw new Error(`GET /api/docs/json answered ${res.status}`);
  const doc = res.body as { paths: Record<string, Record<string, { parameters?: Param[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>; components?: { schemas?: Record<string, Schema> } };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        pathParams: params.filter((p) => p.in === 'path'),
        query: params.filter((p) => p.in === 'query'),
        body: content['application/json']?.schema,
        rawBody: Object.keys(content).some((c) => c !== 'application/json'),
      });
    }
  }
  return { operations, definitions: doc.components?.schemas ?? {} };
}

export function deref(doc: ApiDoc, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 10 && s.$ref; i++) s = doc.definitions[s.$ref.replace('#/components/schemas/', '')] ?? {};
  return s;
}

/** Id-like field names: a new one of these in a body or query must be placed in the probe's table. */
export const ID_FIELD = /(^id$|Id$|Ids$|^unit$|^unitSlug$|^ids$)/;

/** Every property path in a schema whose name looks like an id or which holds a UUID. */
export function idFields(doc: ApiDoc, schema: Schema | undefined, prefix = '', depth = 0): string[] {
  if (!schema || depth > 6) return [];
  const s = deref(doc, schema);
  const out: string[] = [];
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) out.push(...idFields(doc, alt, prefix, depth + 1));
  if (s.items) out.push(...idFields(doc, s.items, `${prefix}[]`, depth + 1));
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    const ps = deref(doc, p);
    const uuid = ps.format === 'uuid' || ps.items?.format === 'uuid';
    if (ID_FIELD.test(k) || uuid) out.push(path);
    else out.push(...idFields(doc, ps, path, depth + 1));
  }
  return [...new Set(out)];
}

const UUID = '00000000-0000-4000-8000-000000000000';

/** A small value the schema accepts: what the isolation probe sends so that a refusal is about the id. */
export function validValue(doc: ApiDoc, schema: Schema, name = '', depth = 0): unknown {
  const s = deref(doc, schema);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf?.length) return validValue(doc, s.anyOf[0]!, name, depth + 1);
  if (s.oneOf?.length) return validValue(doc, s.oneOf[0]!, name, depth + 1);
  if (s.allOf?.length) return Object.assign({}, ...s.allOf.map((a) => validValue(doc, a, name, depth + 1)));
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) out[k] = validValue(doc, s.properties?.[k] ?? {}, k, depth + 1);
      // A PATCH needs one field: the first plain one that names nothing.
      if ((s.minProperties ?? 0) > Object.keys(out).length) {
        const plain = Object.entries(s.properties ?? {}).find(([k, p]) => !ID_FIELD.test(k) && ['string', 'boolean'].includes(deref(doc, p).type ?? '') && !deref(doc, p).format);
        if (plain) out[plain[0]] = validValue(doc, plain[1], plain[0], depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(s.minItems ?? 0, depth === 0 ? 1 : 0);
      return Array.from({ length: Math.min(n, 3) }, () => validValue(doc, s.items ?? {}, name, depth + 1));
    }
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 1, 1));
    case 'boolean':
      return false;
    case 'string':
      return validString(s, name);
    default:
      return depth > 3 ? null : {};
  }
}

function validString(s: Schema, name: string): string {
  if (s.format === 'uuid') return UUID;
  if (s.format === 'date-time') return new Date(Date.now() + 3_600_000).toISOString();
  if (s.format === 'date') return '2026-11-27';
  if (s.format === 'uri') return 'https://example.com/probe';
  if (s.format === 'email') return 'probe@example.com';
  if (s.pattern === '^\\d{6}$' || s.pattern?.includes('\\d{6}')) return '510105';
  if (s.pattern === '^51[0-9]{4}$') return '510105';
  if (s.pattern?.startsWith('^[A-Za-z0-9_-]{')) return 'probe_device_0001'.padEnd(Number(/\{(\d+)/.exec(s.pattern)?.[1] ?? 8), '0');
  if (s.pattern === '^[0-9]{6}$') return '123456';
  if (name === 'password') return 'Probe-Passw0rd-2026';
  const base = name === 'username' ? 'probe_user' : '探针测试';
  const min = s.minLength ?? 1;
  return base.padEnd(min, 'x').slice(0, s.maxLength ?? 200);
}

/** The path with each parameter replaced. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(v);
  });
}
