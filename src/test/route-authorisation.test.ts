import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTrace } from '../policies/index.ts';
import { type ApiClient, type TestServer, startTestServer } from './harness.ts';
import { PATH_KINDS } from './probes/kinds.ts';
import { type ApiDoc, fillPath, loadApiDoc, type Operation, validValue } from './probes/openapi.ts';
import { buildWorld, type World } from './probes/world.ts';

/**
 * Every route of the OpenAPI document, driven by staff of the unit that owns the probe world's objects (so
 * most requests get all the way through), while every service method is watched: a service call a route
 * makes that returns before the request has asked the rulebook (`requireAccess`, src/policies/access.ts)
 * fails the test. Calls that throw are refusals and pass. Routes that serve the public or a reader (no staff
 * rulebook applies) are listed below with the reason.
 */

/** Routes outside the staff rulebook, by path prefix (every method), each with its reason. */
const PUBLIC: Record<string, string> = {
  '/healthz': 'liveness: no caller, no data',
  '/readyz': 'readiness: no caller, no data',
  'GET /api/units': 'the alliance directory (names, kinds, division codes) every staff member reads',
  'GET /api/units/{id}': 'one entry of the alliance directory',
  'GET /api/session': "who am I: the caller's own session",
  '/api/tokens': "the caller's own API tokens, by user id",
  '/api/notifications': "the caller's own notifications, by user id",
  'GET /api/channel-kinds': 'the channel kinds and their settings forms: the same for everyone, no data',
  '/api/schemas/': 'JSON schemas of the API: documentation',
  'POST /api/session': 'signing in: there is no actor yet',
  '/api/session/mfa': 'the second sign-in step: there is no actor yet',
  '/api/session/password': 'changing an expired password before the first session: there is no actor yet',
  '/api/reader/': "readers' own routes: a reader session, not staff, and the reader's own account only",
  '/api/app/v1/': "the app delivery API: a unit's published stories, public by design",
  '/push/': "the reader side of push: the service worker, subscriptions and the open-tracking redirect",
  '/api/recommend/{unitSlug}/': "a unit's public reader feeds (published stories only)",
};

/**
 * Service methods a request reaches outside any route handler: the auth hook resolving the session or API
 * token, and the active membership, before the route runs. The session is what they check.
 */
const HOOKS = new Set(['auth.resolveSession', 'auth.resolveApiToken', 'auth.actorFor']);

const USERS = ['jinjiang_chief', 'jinjiang_admin', 'admin'];
const ORDER: Record<string, number> = { GET: 0, POST: 1, PUT: 1, PATCH: 1, DELETE: 2 };

let server: TestServer;
let doc: ApiDoc;
let world: World;
const clients: ApiClient[] = [];

/**
 * The service calls of the request under way that returned before the request had asked the rulebook
 * anything. A later call without a rule of its own (a presenter's lookup, the bytes of an asset already
 * authorised) rides on the earlier answer.
 */
let unauthorised: string[] | null = null;
let authorised = false;

function watch(name: string, service: object) {
  const seen = new Set<string>();
  for (let proto = Object.getPrototypeOf(service); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (key !== 'constructor' && typeof d?.value === 'function' && !seen.has(key)) seen.add(key);
    }
  }
  for (const key of Object.getOwnPropertyNames(service)) if (typeof (service as Record<string, unknown>)[key] === 'function') seen.add(key);
  for (const key of seen) {
    const original = (service as Record<string, (...args: unknown[]) => unknown>)[key]!;
    const label = `${name}.${key}`;
    Object.defineProperty(service, key, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        // A call inside another service call belongs to the outer call's trace.
        if (!unauthorised || accessTrace.getStore()) return original.apply(this, args);
        // The hooks' own calls (the active membership) are theirs, not the route's.
        if (HOOKS.has(label)) return accessTrace.run({ rules: [] }, () => original.apply(this, args));
        const trace = { rules: [] as string[] };
        const result = accessTrace.run(trace, () => original.apply(this, args));
        const check = () => {
          if (trace.rules.length) authorised = true;
          else if (!authorised) unauthorised?.push(label);
        };
        if (result instanceof Promise) return result.then((v) => (check(), v));
        check();
        return result;
      },
    });
  }
}

/** The app's services, including those a module groups in a plain object (distribution, push, readers). */
function watchAll(services: Record<string, unknown>) {
  for (const [name, value] of Object.entries(services)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    if (Object.getPrototypeOf(value) === Object.prototype) {
      for (const [inner, v] of Object.entries(value)) if (v && typeof v === 'object' && Object.getPrototypeOf(v) !== Object.prototype && !Array.isArray(v)) watch(`${name}.${inner}`, v);
    } else watch(name, value);
  }
}

beforeAll(async () => {
  server = await startTestServer();
  doc = await loadApiDoc(server);
  world = await buildWorld(server);
  for (const user of USERS) clients.push(await server.as(user));
  watchAll(server.services as unknown as Record<string, unknown>);
}, 120_000);
afterAll(() => server?.close());

const publicReason = (op: Operation) => Object.entries(PUBLIC).find(([k]) => (k.includes(' ') ? k === op.key : op.path.startsWith(k)))?.[1];

/** Path values from the probe world: the isolation probe's table says what each parameter names. */
function paths(op: Operation): string[] {
  if (!op.pathParams.length) return [op.path];
  const slots = PATH_KINDS[op.path]?.[0] ?? {};
  let out: Record<string, string>[] = [{}];
  for (const p of op.pathParams) {
    const slot = slots[p.name];
    const values =
      p.schema.enum?.map(String) ??
      (slot === 'ownUnit' ? [world.foreign.unit] : slot && typeof slot === 'object' ? [slot.literal] : slot && slot !== 'enum' ? [world.foreign[slot]] : [world.foreign.item]);
    out = out.flatMap((o) => values.map((v) => ({ ...o, [p.name]: v })));
  }
  return out.map((v) => fillPath(op.path, v));
}

function query(op: Operation): string {
  const q = op.query.filter((p) => p.required).map((p) => `${p.name}=${encodeURIComponent(String(validValue(doc, p.schema, p.name)))}`);
  return q.length ? `?${q.join('&')}` : '';
}

describe('route authorisation', () => {
  it('every route that reaches a service is authorised by the rulebook, or is public with a reason', { timeout: 60_000 }, async () => {
    const ops = doc.operations.filter((op) => op.key !== 'GET /api/notifications/stream' && op.key !== 'DELETE /api/session').sort((a, b) => ORDER[a.method]! - ORDER[b.method]!);
    const failures = new Map<string, Set<string>>();
    const publicRoutes: string[] = [];
    let requests = 0;
    for (const op of ops) {
      if (publicReason(op)) {
        publicRoutes.push(op.key);
        continue;
      }
      const body = op.body ? validValue(doc, op.body) : undefined;
      for (const path of paths(op)) {
        for (const client of clients) {
          unauthorised = [];
          authorised = false;
          await client.request(op.method, `${path}${query(op)}`, body);
          requests++;
          for (const call of unauthorised) (failures.get(op.key) ?? failures.set(op.key, new Set()).get(op.key)!).add(call);
          unauthorised = null;
        }
      }
    }
    const report = [...failures].map(([route, calls]) => `${route} → ${[...calls].join(', ')}`);
    console.info(`route authorisation: ${ops.length - publicRoutes.length} routes, ${publicRoutes.length} public, ${requests} requests, ${report.length} unauthorised`);
    expect(report, `service calls that returned without requireAccess:\n${report.join('\n')}`).toEqual([]);
  });

  it('lists no public route that no longer exists', () => {
    const stale = Object.keys(PUBLIC).filter((k) => !doc.operations.some((op) => (k.includes(' ') ? k === op.key : op.path.startsWith(k))));
    expect(stale).toEqual([]);
  });
});
