import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type TestServer } from '../harness.ts';
import { PATH_KINDS } from './kinds.ts';
import { type ApiDoc, deref, loadApiDoc, type Operation, type Schema, validValue } from './openapi.ts';
import { buildWorld, type World } from './world.ts';

/**
 * Schema-driven fuzzing of every route in the OpenAPI document: values drawn from each route's own schema
 * (fast-check, seeded), then one mutation each — NUL bytes in strings and keys, numbers beyond any column,
 * 2,000 levels of nesting, oversize strings and arrays, wrong types, unknown fields, invalid UTF-8, odd path
 * segments and query values. Sent as a signed-in alliance admin (and a sample signed out), every answer must be
 * a 4xx problem+json (never a 5xx), and a route whose requests were all refused must leave every table's row
 * count as it was.
 */

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const SEED = Number(process.env.PROBE_SEED ?? 20261127);
/** Cases per route: the PostgreSQL run takes a smaller sample of the same seeded sequence. */
const CASES = Number(process.env.PROBE_CASES ?? (onPostgres ? 4 : 8));
/** Every how-many-th case is also sent signed out. */
const SIGNED_OUT_EVERY = 3;

/** Routes the fuzzer leaves alone, each with its reason. */
const SKIP: Record<string, string> = {
  'GET /api/notifications/stream': 'an event stream that stays open; its only input is the session',
  'DELETE /api/session': 'signs the fuzzing client out; it takes no input',
};

/**
 * Tables whose rows legitimately change while requests are refused: append-only records of the refusals
 * themselves (audit_log: failed logins and denials; login_throttle: the counter a wrong password bumps),
 * sessions of either kind, the channels' rate buckets, and reader events (the partitioned table and its days).
 * pg-boss keeps its jobs in its own schema, which is not counted.
 */
const CHANGING_TABLES = new Set(['audit_log', 'login_throttle', 'sessions', 'reader_sessions', 'channel_rate_buckets', 'reader_events']);

let server: TestServer;
let doc: ApiDoc;
let world: World;
let admin: ApiClient;
let tables: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  doc = await loadApiDoc(server);
  world = await buildWorld(server);
  admin = await server.as('admin');
  const rows = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`.execute(server.db);
  tables = rows.rows.map((r) => r.name).filter((t) => !CHANGING_TABLES.has(t));
}, 120_000);
afterAll(() => server?.close());

async function rowCounts(): Promise<Record<string, number>> {
  const query = tables.map((t) => `select '${t}' as t, count(*)::int as n from "${t}"`).join(' union all ');
  const res = await sql<{ t: string; n: number }>`${sql.raw(query)}`.execute(server.db);
  return Object.fromEntries(res.rows.map((r) => [r.t, Number(r.n)]));
}

// ------------------------------------------------------------------------------------------ generation

function pathValues(op: Operation): fc.Arbitrary<Record<string, string>> {
  const slots = PATH_KINDS[op.path]?.[0] ?? {};
  const entries = op.pathParams.map((p) => {
    const slot = slots[p.name];
    if (p.schema.enum) return [p.name, fc.constantFrom(...p.schema.enum.map(String))] as const;
    if (slot === 'ownUnit') return [p.name, fc.constant(world.own.unit)] as const;
    if (slot && typeof slot === 'object') return [p.name, fc.constant(slot.literal)] as const;
    if (slot && slot !== 'enum') return [p.name, fc.constantFrom(world.foreign[slot], '00000000-0000-4000-8000-000000000000')] as const;
    // Public routes (the app API, feeds): a slug or an id of the probe's world.
    if (/slug/i.test(p.name)) return [p.name, fc.constantFrom('510104', 'root')] as const;
    return [p.name, fc.constantFrom(world.foreign.item, world.foreign.campaign)] as const;
  });
  return fc.record(Object.fromEntries(entries));
}

/** Values the schema accepts (mostly): fast-check's arbitraries, bounded so a case stays small. */
function arb(schema: Schema, name: string, depth: number): fc.Arbitrary<unknown> {
  const s = deref(doc, schema);
  if (depth > 5) return fc.constant(validValue(doc, s, name, depth));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => arb(a, name, depth + 1)));
  switch (s.type) {
    case 'object': {
      const props = Object.entries(s.properties ?? {});
      if (!props.length) return fc.constant({});
      return fc.record(Object.fromEntries(props.map(([k, p]) => [k, arb(p, k, depth + 1)])), { requiredKeys: s.required ?? [] });
    }
    case 'array':
      return fc.array(arb(s.items ?? {}, name, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: Math.min(s.maximum ?? 1000, 1_000_000) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (s.format || s.pattern) return fc.constant(validValue(doc, s, name, depth));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 20, 20), unit: fc.constantFrom('a', '川', ' ', '1', '<', '"') });
    default:
      return fc.constant(validValue(doc, s, name, depth));
  }
}

type Mutation =
  | { kind: 'nul-string' }
  | { kind: 'nul-key' }
  | { kind: 'huge-number'; raw: string }
  | { kind: 'deep'; shape: 'object' | 'array' | 'doc' }
  | { kind: 'big'; shape: 'string' | 'array' }
  | { kind: 'wrong-type'; value: unknown }
  | { kind: 'unknown-field' }
  | { kind: 'bad-utf8' }
  | { kind: 'odd-path'; segment: string }
  | { kind: 'odd-query'; value: string };

const HUGE = ['2147483648', '99999999999999999999', '-99999999999999999999', '1e309', '-0', '"NaN"', '"1e309"', '9007199254740993'];
const ODD_SEGMENTS = ['%00', '%C0%AF', '%FF%FE', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(3000), '2147483648', '-0', '%E4%B8', 'NaN', '%20'];
const ODD_QUERY = ['%00', 'a%00b', '2147483648', '99999999999999999999', '-0', 'NaN', '1e309', '%FF', 'x'.repeat(5000), '[]', '%E4%B8'];

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'nul-string' }),
  fc.constant<Mutation>({ kind: 'nul-key' }),
  fc.constantFrom(...HUGE).map((raw): Mutation => ({ kind: 'huge-number', raw })),
  fc.constantFrom('object', 'array', 'doc').map((shape): Mutation => ({ kind: 'deep', shape: shape as 'object' | 'array' | 'doc' })),
  fc.constantFrom('string', 'array').map((shape): Mutation => ({ kind: 'big', shape: shape as 'string' | 'array' })),
  fc.constantFrom<unknown>(12345, 'text', true, null, [], {}, [[1]]).map((value): Mutation => ({ kind: 'wrong-type', value })),
  fc.constant<Mutation>({ kind: 'unknown-field' }),
  fc.constant<Mutation>({ kind: 'bad-utf8' }),
  fc.constantFrom(...ODD_SEGMENTS).map((segment): Mutation => ({ kind: 'odd-path', segment })),
  fc.constantFrom(...ODD_QUERY).map((value): Mutation => ({ kind: 'odd-query', value })),
);

interface Case {
  path: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  mutation: Mutation;
  /** Which field (of the body, else the query) the mutation lands on, as an index into its keys. */
  pick: number;
}

function caseArb(op: Operation): fc.Arbitrary<Case> {
  const queryProps = Object.fromEntries(op.query.map((q) => [q.name, q.schema]));
  const querySchema: Schema = { type: 'object', properties: queryProps, required: op.query.filter((q) => q.required).map((q) => q.name) };
  return fc.record({
    path: pathValues(op),
    query: arb(querySchema, '', 1) as fc.Arbitrary<Record<string, unknown>>,
    body: op.body ? arb(op.body, '', 0) : fc.constant(undefined),
    mutation: mutationArb,
    pick: fc.nat(50),
  });
}

// ------------------------------------------------------------------------------------------ mutation

const RAW = (n: number) => `__probe_raw_${n}__`;

function deep(shape: 'object' | 'array' | 'doc', levels = 2000): string {
  if (shape === 'array') return '['.repeat(levels) + ']'.repeat(levels);
  if (shape === 'object') return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
  // A ProseMirror document 2,000 blockquotes deep: what the item routes parse and render.
  return '{"type":"doc","content":[' + '{"type":"blockquote","content":['.repeat(levels) + '{"type":"paragraph"}' + ']}'.repeat(levels) + ']}';
}

/** Leaves of an object worth aiming at: [container, key] pairs. */
function leaves(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = [], depth = 0): typeof out {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    out.push([value as Record<string, unknown>, Array.isArray(value) ? Number(k) : k]);
    leaves(v, out, depth + 1);
  }
  return out;
}

interface Request {
  url: string;
  body?: string | Buffer;
  contentType?: string;
  /** The mutation leaves the request invalid under its schema: only a refusal is right. */
  mustRefuse: boolean;
  label: string;
}

function build(op: Operation, c: Case): Request {
  const raws: string[] = [];
  const placeholder = (text: string) => {
    raws.push(text);
    return RAW(raws.length - 1);
  };
  const body = c.body === undefined ? undefined : structuredClone(c.body);
  const query: Record<string, string> = Object.fromEntries(Object.entries(c.query).map(([k, v]) => [k, String(v)]));
  const pathValues = { ...c.path };
  const targets = leaves(body);
  const target = targets.length ? targets[c.pick % targets.length] : undefined;
  const queryKeys = Object.keys(query).length ? Object.keys(query) : op.query.map((q) => q.name);
  const queryKey = queryKeys.length ? queryKeys[c.pick % queryKeys.length] : undefined;
  let rawBody: Buffer | undefined;
  let mustRefuse = true;
  const m = c.mutation;
  const onBody = body !== undefined && typeof body === 'object' && body !== null;
  const hasBody = op.body !== undefined && op.method !== 'GET';
  const hasQuery = op.query.length > 0;
  switch (m.kind) {
    case 'nul-string':
      if (target) target[0][target[1] as never] = 'nul\u0000byte' as never;
      else if (onBody) (body as Record<string, unknown>).name = 'nul\u0000byte';
      else if (queryKey) query[queryKey] = 'nul\u0000byte';
      else if (Object.keys(pathValues).length) pathValues[Object.keys(pathValues)[0]!] = 'nul\u0000byte';
      else mustRefuse = false;
      break;
    case 'nul-key':
      if (onBody) (body as Record<string, unknown>)['key\u0000nul'] = 1;
      else query['key\u0000nul'] = '1';
      // A route that reads no query string ignores one; only a refusal or a success is asked of it then.
      mustRefuse = onBody || hasQuery;
      break;
    case 'huge-number':
      if (target) {
        target[0][target[1] as never] = placeholder(m.raw) as never;
        // -0 is zero, a fine value for many fields; a quoted one is a string, fine for a text field.
        mustRefuse = m.raw !== '-0' && !m.raw.startsWith('"');
      } else if (queryKey) {
        query[queryKey] = m.raw.replace(/"/g, '');
        mustRefuse = op.query.find((q) => q.name === queryKey)?.schema.type === 'integer';
      }
      else if (onBody) (body as Record<string, unknown>).revision = placeholder(m.raw);
      else mustRefuse = false;
      break;
    case 'deep':
      if (target) target[0][target[1] as never] = placeholder(deep(m.shape)) as never;
      else if (onBody || op.body) return { url: '', body: deep(m.shape), mustRefuse: true, label: '' };
      else if (queryKey) query[queryKey] = '['.repeat(2000);
      else mustRefuse = false;
      break;
    case 'big':
      if (target) target[0][target[1] as never] = (m.shape === 'string' ? 'x'.repeat(300_000) : Array.from({ length: 20_000 }, () => 1)) as never;
      // Under Node's 16 KiB header limit, so the application, not the HTTP parser, answers.
      else if (queryKey) query[queryKey] = 'x'.repeat(4_000);
      else mustRefuse = false;
      // A field without a maxLength takes a long string (up to the body limit); what is asked is no 5xx.
      mustRefuse = false;
      break;
    case 'wrong-type':
      if (target) {
        // Another type than the one there ("text" in a text field, null in a nullable one would be no mistake):
        // a number for a string, a string for anything else. The variety of m.value goes to whole bodies.
        const current = target[0][target[1] as never] as unknown;
        target[0][target[1] as never] = (typeof current === 'string' ? 12345 : 'text') as never;
      }
      // {} is a whole valid body where no field is required.
      else if (body !== undefined) return { url: '', body: JSON.stringify(m.value), mustRefuse: !(typeof m.value === 'object' && m.value !== null && !Array.isArray(m.value)), label: '' };
      else mustRefuse = false;
      break;
    case 'unknown-field':
      if (onBody) (body as Record<string, unknown>).probeUnknownField = 1;
      else query.probeUnknownField = '1';
      // An open map (channel config, extra settings) may take any key.
      mustRefuse = onBody ? deref(doc, op.body!).additionalProperties === false : hasQuery;
      break;
    case 'bad-utf8': {
      const text = JSON.stringify(body ?? { text: 'x' }).replace(/"([^"]*)"/, '"$1\u0001"');
      const bytes = Buffer.from(text, 'utf8');
      const at = bytes.indexOf(1);
      rawBody = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff]), bytes.subarray(at + 1)]);
      mustRefuse = hasBody;
      break;
    }
    case 'odd-path': {
      const key = Object.keys(pathValues)[c.pick % Math.max(1, Object.keys(pathValues).length)];
      if (key) pathValues[key] = `\u0000RAWSEG${m.segment}`;
      else mustRefuse = false;
      break;
    }
    case 'odd-query':
      if (queryKey) query[queryKey] = `\u0000RAWQ${m.value}`;
      else query.probeOdd = `\u0000RAWQ${m.value}`;
      // A value can be valid for a free-text parameter ('-0' as a search word); what is asked is no 5xx.
      mustRefuse = false;
      break;
  }
  const url =
    op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const v = pathValues[name] ?? '';
      return v.startsWith('\u0000RAWSEG') ? v.slice(7) : encodeURIComponent(v);
    }) +
    (Object.keys(query).length
      ? '?' +
        Object.entries(query)
          .map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('\u0000RAWQ') ? v.slice(5) : encodeURIComponent(v)}`)
          .join('&')
      : '');
  let text = rawBody ? undefined : body === undefined ? undefined : JSON.stringify(body);
  if (text) raws.forEach((raw, i) => (text = text!.replace(`"${RAW(i)}"`, raw)));
  // A route without a JSON body that gets one anyway (the mutation put it there) is still bad input.
  return { url, body: rawBody ?? text, mustRefuse, label: `${m.kind}${'raw' in m ? ` ${m.raw}` : 'shape' in m ? ` ${m.shape}` : 'segment' in m ? ` ${m.segment.slice(0, 20)}` : 'value' in m ? ` ${String(JSON.stringify(m.value)).slice(0, 20)}` : ''}` };
}

async function send(client: ApiClient | null, op: Operation, req: Request) {
  const headers: Record<string, string> = {};
  if (client) {
    headers.cookie = client.cookie;
    if (op.method !== 'GET') headers['x-csrf-token'] = client.csrf;
  }
  if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
  const res = await fetch(server.url + req.url, { method: op.method, headers, body: op.method === 'GET' || op.method === 'HEAD' || req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : new Uint8Array(req.body), redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text };
}

describe('schema-driven fuzzing of every route', () => {
  it('answers bad input with a 4xx problem, never a 5xx, and writes nothing when it refuses', { timeout: 300_000 }, async () => {
    const ops = doc.operations.filter((op) => !SKIP[op.key]);
    const failures: string[] = [];
    const tally = { routes: 0, requests: 0, signedOut: 0, fiveHundreds: 0, notProblem: 0, accepted: 0, countChanges: 0 };
    let seed = SEED;
    // Counted once between routes: what one route left is what the next starts from.
    let before = await rowCounts();
    for (const op of ops) {
      tally.routes++;
      const cases = fc.sample(caseArb(op), { seed: seed++, numRuns: CASES });
      let anyAccepted = false;
      for (const [i, c] of cases.entries()) {
        let req = build(op, c);
        if (req.url === '') req = { ...build(op, { ...c, mutation: { kind: 'unknown-field' } }), body: req.body, mustRefuse: req.mustRefuse, label: `${c.mutation.kind} whole body` };
        const callers: (ApiClient | null)[] = i % SIGNED_OUT_EVERY === 0 ? [admin, null] : [admin];
        for (const caller of callers) {
          const res = await send(caller, op, req);
          tally.requests++;
          if (!caller) tally.signedOut++;
          const who = caller ? 'admin' : 'signed out';
          const where = `${op.key} [${req.label}] as ${who} → ${res.status}`;
          if (res.status >= 500) {
            tally.fiveHundreds++;
            failures.push(`${where} ${res.text.slice(0, 160)} (url ${req.url.slice(0, 120)})`);
          } else if (res.status < 400) {
            anyAccepted = true;
            tally.accepted++;
            if (req.mustRefuse) failures.push(`${where}: accepted bad input (url ${req.url.slice(0, 120)}, body ${String(req.body).slice(0, 120)})`);
          } else if (!res.type.includes('application/problem+json')) {
            tally.notProblem++;
            failures.push(`${where} answered ${res.type || 'no content type'}: ${res.text.slice(0, 120)}`);
          }
        }
      }
      const after = await rowCounts();
      if (!anyAccepted) {
        const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
        if (changed.length) {
          tally.countChanges++;
          failures.push(`${op.key}: every request refused, yet rows changed in ${changed.map((t) => `${t} ${before[t]}→${after[t]}`).join(', ')}`);
        }
      }
      before = after;
    }
    console.info(
      `fuzz (${onPostgres ? 'PostgreSQL' : 'PGlite'}, seed ${SEED}, ${CASES} cases a route): ${tally.routes} routes (${Object.keys(SKIP).length} skipped), ${tally.requests} requests (${tally.signedOut} signed out), ` +
        `${tally.fiveHundreds} 5xx, ${tally.notProblem} 4xx not problem+json, ${tally.accepted} accepted, ${tally.countChanges} routes changed rows while refusing, ${failures.length} failures`,
    );
    if (failures.length) console.info(failures.join('\n'));
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
