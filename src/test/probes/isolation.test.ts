import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type ApiResponse, type TestServer } from '../harness.ts';
import { type ApiDoc, deref, fillPath, idFields, ID_FIELD, loadApiDoc, type Operation, validValue } from './openapi.ts';
import { PATH_KINDS, type Slot } from './kinds.ts';
import { buildWorld, type ForeignKind, type OwnKind, type World } from './world.ts';

/**
 * The isolation matrix, generated from the OpenAPI document: every route that takes an id or a unit (in its
 * path, query or body) × every role, all of 青羊区 (510105), × objects of 锦江区 (510104), a county beside it.
 * No answer may be a success, and no answer may carry the foreign objects' titles, secrets or ids. A route
 * with an id this file cannot place fails the test, naming what to add: new routes are covered that way.
 */

const ROLES = {
  reporter: 'qingyang_reporter',
  editor: 'qingyang_editor',
  chief_editor: 'qingyang_chief',
  unit_admin: 'qingyang_admin',
  supervisor: 'qingyang_supervisor',
  alliance_admin: 'qingyang_alliance_admin',
} as const;

/** Routes (method and path, or a path for every method) that answer across units by design. */
const PUBLIC: Record<string, string> = {
  'GET /api/units/{id}': 'the unit tree (names, kinds, division codes) is the alliance directory every staff member reads',
  'GET /api/units': 'the alliance directory; parentId only narrows it',
  '/api/recommend/{unitSlug}/feed': "a unit's public reader feed (published stories only), served to the portal and apps",
  '/api/recommend/{unitSlug}/local': "a unit's public local feed for readers",
  '/api/recommend/{unitSlug}/items/{id}/related': 'related published stories for readers',
  '/push/o/{id}': 'the open-tracking redirect a push notification links to; it reveals nothing but the published story it opens',
  '/api/app/v1/units/{unitSlug}/items': "the app delivery API: a unit's published stories, public by design",
  '/api/app/v1/items/{id}': 'the app delivery API: one published story',
};

/** A query parameter that names a unit or object: the foreign kind sent in it. A 200 must then leak nothing. */
const QUERY_KINDS: Record<string, ForeignKind | { public: string }> = {
  'GET /api/units?parentId': { public: 'the alliance directory' },
  'GET /api/users?unitId': 'unit',
  'GET /api/audit?unitId': 'unit',
  'GET /api/search?unitId': 'unit',
  'GET /api/search?authorId': 'user',
  'GET /api/assets?unitId': 'unit',
  'GET /api/screening/alerts?itemId': 'item',
  'GET /api/channels?unitId': 'unit',
  'GET /api/readers/stats?unitId': 'unit',
  'GET /api/recommend/pins?unit': 'unitSlug',
  'GET /api/recommend/preview?unit': 'unitSlug',
  'GET /api/relays?itemId': 'item',
  'GET /api/portal/curation?unit': 'unitSlug',
  'GET /api/portal/curation/candidates?unit': 'unitSlug',
};

/**
 * Body fields that name a unit or object. A probe sends a valid body on one's own object (`on`: the path
 * parameters, by one's own object kind, or a literal) with that field set to the foreign object; the answer
 * must be a 4xx that leaks nothing, unless the field is cross-unit by design (a reason). `extra` completes
 * the body so the request reaches the check of the field (e.g. only a 专题 lists other items).
 */
type On = Record<string, OwnKind | { literal: string }>;
type BodyField = ForeignKind | { allowed: string } | { kind: ForeignKind; on?: On; extra?: Record<string, unknown> };
const BODY_PROBES: Record<string, { on?: On; fields: Record<string, BodyField> }> = {
  'POST /api/units': { fields: { parentId: 'unit' } },
  'PATCH /api/units/{id}': { on: { id: 'unit' }, fields: { parentId: 'unit' } },
  'PUT /api/session/unit': { fields: { unitId: 'unit' } },
  'POST /api/users': { fields: { unitId: 'unit' } },
  'POST /api/invitations': { fields: { unitId: 'unit' } },
  'POST /api/items': { fields: { coverAssetId: 'asset', specialItemIds: { kind: 'draftItem', extra: { type: 'special' } } } },
  'PATCH /api/items/{id}': { on: { id: 'item' }, fields: { coverAssetId: 'asset', specialItemIds: 'draftItem' } },
  'PUT /api/items/{id}/working-copy': { on: { id: 'item' }, fields: { coverAssetId: 'asset', specialItemIds: 'draftItem' } },
  'PUT /api/items/{id}/share': { on: { id: 'item' }, fields: { unitIds: { allowed: 'sharing names the units that may read one’s own story; any unit of the alliance may be named' } } },
  'POST /api/items/{id}/relay-up': { on: { id: 'item' }, fields: { toUnitId: 'unit' } },
  'POST /api/items/{id}/relay-down': { on: { id: 'item' }, fields: { unitIds: 'unit' } },
  'POST /api/search/saved': { fields: { 'query.unitId': { allowed: 'a saved filter; search applies the caller’s visibility when it runs' }, 'query.authorId': { allowed: 'a saved filter, as above' } } },
  'POST /api/items/{id}/workflow/{action}': { on: { id: 'signedOffItem', action: { literal: 'publish' } }, fields: { channelIds: 'channel' } },
  'POST /api/notifications/read': { fields: { ids: { allowed: 'integers that only ever mark the caller’s own notifications' } } },
  'POST /api/topics': { fields: { jointUnitIds: { allowed: 'a joint board (联合报道) invites other units of the alliance by design' } } },
  'POST /api/topics/{id}/items': { on: { id: 'approvedTopic' }, fields: { itemId: 'item' } },
  'POST /api/tasks': { fields: { assigneeUnitId: 'unit', assigneeUserId: { kind: 'user', extra: { assigneeUnitId: '$ownUnit' } }, topicId: { kind: 'topic', extra: { assigneeUnitId: '$ownUnit' } } } },
  'POST /api/tasks/{id}/{action}': {
    on: { id: 'task', action: { literal: 'handover' } },
    fields: { itemId: { kind: 'item', on: { id: 'acceptedTask', action: { literal: 'complete' } } }, toUserId: 'user', toUnitId: 'unit' },
  },
  'POST /api/print/pages': { fields: { 'stories[].id': 'item' } },
  'POST /api/channels': { fields: { unitId: 'unit' } },
  'PUT /api/portal/curation': { fields: { unit: 'unitSlug', headlineItemId: { kind: 'item', extra: { unit: '510105' } }, topicItemIds: { kind: 'item', extra: { unit: '510105' } } } },
  'PUT /api/recommend/pins': { fields: { unit: 'unitSlug', itemId: { kind: 'item', extra: { unit: '510105' } } } },
  'POST /api/push/segments/count': { fields: { unitId: 'unit', 'definition.apps': 'pushApp' } },
  'POST /api/push/segments': { fields: { 'definition.apps': 'pushApp' } },
  'PUT /api/push/segments/{id}': { on: { id: 'segment' }, fields: { 'definition.apps': 'pushApp' } },
  'POST /api/push/campaigns': { fields: { itemId: { kind: 'item', extra: { definition: {} } }, segmentId: 'segment', 'definition.apps': 'pushApp' } },
  'POST /api/push/apps': { fields: { 'secrets.appId': { allowed: 'the vendor’s (JPush/Getui) app id, not one of ours' } } },
  'POST /api/reader/signup': { fields: { unit: { allowed: 'a reader signs up on any unit’s portal' }, deviceId: { allowed: 'the reader’s own anonymous device' } } },
  'POST /api/reader/code': { fields: { deviceId: { allowed: 'the reader’s own anonymous device, counted for the code-sending limits' } } },
  'POST /api/reader/session/code': { fields: { deviceId: { allowed: 'the reader’s own anonymous device' } } },
  'POST /api/reader/session/password': { fields: { deviceId: { allowed: 'the reader’s own anonymous device' } } },
  'POST /api/reader/events': { fields: { 'events[].id': { allowed: 'the client’s own event id' }, 'events[].item': { allowed: 'readers read published stories of any unit' }, 'events[].unit': { allowed: 'readers read any unit’s portal' } } },
  'POST /api/reader/push/registrations': { fields: { app: { allowed: 'a reader’s device registers with a unit’s public app' }, registrationId: { allowed: 'the vendor’s device registration id' } } },
};

const REFUSED = [401, 403, 404];
const SEED_SAMPLE = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

let server: TestServer;
let doc: ApiDoc;
let world: World;
const clients: Record<string, ApiClient> = {};

beforeAll(async () => {
  server = await startTestServer();
  doc = await loadApiDoc(server);
  world = await buildWorld(server);
  for (const [role, user] of Object.entries(ROLES)) clients[role] = await server.as(user);
}, 120_000);
afterAll(() => server?.close());

const isPublic = (op: Operation) => PUBLIC[op.key] ?? PUBLIC[op.path];

interface Probe {
  op: Operation;
  label: string;
  url: string;
  body?: unknown;
  /** Ids the request itself names: an answer may echo those. */
  named: string[];
  /** The answer must refuse (else: a 2xx is fine if it leaks nothing, e.g. a filter that finds nothing). */
  mustRefuse: boolean;
  /** A request on one's own object with a foreign one in the body: any 4xx that leaks nothing is a refusal. */
  onOwn?: boolean;
}

const ownValue = (slot: OwnKind | { literal: string }) => (typeof slot === 'object' ? slot.literal : world.own[slot]);

// Reads first, then writes, then deletes; memberships last, so that a membership a defect lets through does
// not make the later probes' foreign user a colleague.
const ORDER: Record<string, number> = { GET: 0, POST: 1, PUT: 1, PATCH: 1, DELETE: 2 };
const rank = (op: Operation) => ORDER[op.method]! + (op.path.includes('/memberships/') ? 10 : 0);

function slotValues(op: Operation, name: string, slot: Slot): string[] {
  if (slot === 'enum') return (op.pathParams.find((p) => p.name === name)?.schema.enum ?? []).map(String);
  if (slot === 'ownUnit') return [world.own.unit];
  if (typeof slot === 'object') return [slot.literal];
  return [world.foreign[slot]];
}

/** Every combination of the slots' values. */
function combos(op: Operation, slots: Record<string, Slot>): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const [name, slot] of Object.entries(slots)) out = out.flatMap((o) => slotValues(op, name, slot).map((v) => ({ ...o, [name]: v })));
  return out;
}

function requiredQuery(op: Operation, except = ''): string {
  const parts = op.query.filter((q) => q.required && q.name !== except).map((q) => `${q.name}=${encodeURIComponent(String(validValue(doc, q.schema, q.name)))}`);
  return parts.join('&');
}

function setField(target: Record<string, unknown>, path: string, value: string, schema: ReturnType<typeof deref>) {
  const parts = path.split('.');
  let o = target;
  let s = schema;
  for (const [i, raw] of parts.entries()) {
    const arr = raw.endsWith('[]');
    const key = arr ? raw.slice(0, -2) : raw;
    const ps = deref(doc, s.properties?.[key] ?? {});
    const last = i === parts.length - 1;
    if (last) {
      o[key] = ps.type === 'array' ? [value] : value;
    } else if (arr) {
      const items = deref(doc, ps.items ?? {});
      const el = (validValue(doc, items, key, 1) ?? {}) as Record<string, unknown>;
      o[key] = [el];
      o = el;
      s = items;
    } else {
      o[key] = (o[key] as Record<string, unknown> | undefined) ?? (validValue(doc, ps, key, 1) as Record<string, unknown>) ?? {};
      o = o[key] as Record<string, unknown>;
      s = ps;
    }
  }
  // A print story names its source: an item id goes with source 'item'.
  if ('source' in o && path.endsWith('[].id')) o.source = 'item';
}

function buildProbes(): { probes: Probe[]; unmapped: string[]; publicRoutes: string[] } {
  const probes: Probe[] = [];
  const unmapped: string[] = [];
  const publicRoutes: string[] = [];
  for (const op of doc.operations) {
    const idParams = op.pathParams;
    const pub = isPublic(op);
    if (pub) {
      publicRoutes.push(op.key);
      continue;
    }
    const qs = (url: string) => {
      const q = requiredQuery(op);
      return q ? `${url}?${q}` : url;
    };
    // Path parameters: every one must be placed.
    if (idParams.length) {
      const kinds = PATH_KINDS[op.path];
      const missing = idParams.filter((p) => !kinds?.every((k) => k[p.name] !== undefined));
      if (!kinds || missing.length) {
        unmapped.push(`${op.key}: path parameter(s) ${missing.map((p) => `{${p.name}}`).join(', ')} — add the route to PATH_KINDS (or PUBLIC, with a reason) in src/test/probes/isolation.test.ts`);
      } else {
        for (const slots of kinds) {
          for (const values of combos(op, slots)) {
            const body = op.body ? validValue(doc, op.body) : undefined;
            probes.push({
              op,
              label: `${op.key} ${JSON.stringify(values)}`,
              url: qs(fillPath(op.path, values)),
              body,
              named: Object.values(values),
              mustRefuse: true,
            });
          }
        }
      }
    }
    // Query parameters naming a unit or object.
    for (const q of op.query.filter((p) => ID_FIELD.test(p.name) || p.schema.format === 'uuid')) {
      const kind = QUERY_KINDS[`${op.key}?${q.name}`];
      if (!kind) {
        unmapped.push(`${op.key}: query parameter ${q.name} — add "${op.key}?${q.name}" to QUERY_KINDS in src/test/probes/isolation.test.ts`);
        continue;
      }
      if (typeof kind === 'object' || op.pathParams.length) continue;
      const value = world.foreign[kind];
      const rest = requiredQuery(op, q.name);
      probes.push({ op, label: `${op.key}?${q.name}=<${kind}>`, url: `${op.path}?${q.name}=${encodeURIComponent(value)}${rest ? `&${rest}` : ''}`, named: [value], mustRefuse: false });
    }
    // Body fields naming a unit or object.
    const fields = op.body ? idFields(doc, op.body) : [];
    if (!fields.length) continue;
    const spec = BODY_PROBES[op.key];
    for (const field of fields) {
      const kind = spec?.fields[field];
      if (!kind) {
        unmapped.push(`${op.key}: body field ${field} — add it to BODY_PROBES["${op.key}"] in src/test/probes/isolation.test.ts`);
        continue;
      }
      if (typeof kind === 'object' && 'allowed' in kind) continue;
      const spec1 = typeof kind === 'object' ? kind : { kind, on: undefined, extra: undefined };
      const on = { ...spec!.on, ...spec1.on };
      const missingOn = op.pathParams.filter((p) => !on[p.name]);
      if (missingOn.length) {
        unmapped.push(`${op.key}: ${missingOn.map((p) => `{${p.name}}`).join(', ')} for the body probe of ${field} — add it to BODY_PROBES["${op.key}"].on`);
        continue;
      }
      const values = Object.fromEntries(op.pathParams.map((p) => [p.name, ownValue(on[p.name]!)]));
      const value = world.foreign[spec1.kind];
      const body = validValue(doc, op.body!) as Record<string, unknown>;
      for (const [k, v] of Object.entries(spec1.extra ?? {})) body[k] = v === '$ownUnit' ? world.own.unit : v;
      setField(body, field, value, deref(doc, op.body!));
      probes.push({ op, label: `${op.key} ${JSON.stringify(values)} body ${field}=<${spec1.kind}>`, url: qs(fillPath(op.path, values)), body, named: [value], mustRefuse: true, onOwn: true });
    }
  }
  probes.sort((a, b) => rank(a.op) - rank(b.op));
  return { probes, unmapped, publicRoutes };
}

function leaks(res: ApiResponse, probe: Probe): string[] {
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
  const found = world.markers.filter((m) => text.includes(m));
  found.push(...world.foreignIds.filter((id) => !probe.named.includes(id) && text.includes(id)));
  return found;
}

describe('isolation matrix (青羊区 × 锦江区)', () => {
  it('places every id-bearing route of the OpenAPI document', () => {
    const { unmapped } = buildProbes();
    expect(unmapped, `routes the probe cannot place:\n${unmapped.join('\n')}`).toEqual([]);
    const stale = Object.keys(PATH_KINDS).filter((p) => !doc.operations.some((o) => o.path === p));
    expect(stale, 'PATH_KINDS entries for routes that no longer exist').toEqual([]);
  });

  it('no role of another county reads or changes a foreign object', { timeout: 240_000 }, async () => {
    const { probes, publicRoutes } = buildProbes();
    const failures: string[] = [];
    let requests = 0;
    const routes = new Set<string>();
    for (const probe of probes) {
      routes.add(probe.op.key);
      for (const [role, client] of Object.entries(clients)) {
        const res = await client.request(probe.op.method, probe.url, probe.body);
        requests++;
        const leaked = leaks(res, probe);
        const refused = probe.onOwn ? res.status >= 400 && res.status < 500 : REFUSED.includes(res.status);
        if (leaked.length) failures.push(`${role} ${probe.label} → ${res.status}, leaked ${leaked.join(', ')}`);
        else if (res.status >= 500) failures.push(`${role} ${probe.label} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        else if (probe.mustRefuse && !refused) failures.push(`${role} ${probe.label} → ${res.status} (expected ${probe.onOwn ? 'a 4xx' : '401/403/404'}) ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    console.info(
      `isolation (${SEED_SAMPLE}): ${routes.size} routes probed, ${publicRoutes.length} public by design, ${probes.length} probes × ${Object.keys(clients).length} roles = ${requests} requests, ${failures.length} leaks or failures`,
    );
    if (failures.length) console.info(failures.join('\n'));
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
