import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import { ReaderClient } from '../../test/reader-client.ts';

let server: TestServer;
let phoneSerial = 13700000000;
const readers: Record<string, string> = {};

async function signUp(unit: string, homeDivision: string, consents: string[], follows: string[] = []) {
  const c = new ReaderClient(server.url);
  const phone = String(++phoneSerial);
  await c.post('/api/reader/code', { channel: 'phone', destination: phone });
  const res = await c.post('/api/reader/signup', {
    channel: 'phone',
    destination: phone,
    code: server.services.consoleCodes.lastCodeFor(`+86${phone}`),
    unit,
    homeDivision,
    consents: consents.map((purpose) => ({ purpose, granted: true })),
    consentVersion: 'v1',
  });
  expect(res.status).toBe(201);
  if (follows.length) expect((await c.patch('/api/reader/me', { follows })).status).toBe(200);
  return res.body.readerId as string;
}

beforeAll(async () => {
  server = await startTestServer();
  // 锦江 (510104) ×2, 青羊 (510105) ×1 following 锦江, 绵阳 (510700 city) ×1.
  readers.jinjiangA = await signUp('510104', '510104', ['personalisation', 'analytics']);
  readers.jinjiangB = await signUp('510104', '510105', ['push']);
  readers.qingyangFan = await signUp('510105', '510105', ['analytics'], ['510104']);
  readers.mianyang = await signUp('510700', '510703', ['personalisation']);
});
afterAll(() => server.close());

describe('staff see readers only as aggregates', () => {
  it('the alliance admin counts every reader by region, city, unit and consent', async () => {
    const admin = await server.as('admin');
    const res = await admin.get('/api/readers/stats');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    expect(res.body.byRegion).toEqual(expect.arrayContaining([{ code: '510105', name: '青羊区', count: 2 }, { code: '510104', name: '锦江区', count: 1 }]));
    expect(res.body.byCity).toEqual(expect.arrayContaining([{ code: '510100', name: '成都市', count: 3 }, { code: '510700', name: '绵阳市', count: 1 }]));
    const consents = Object.fromEntries(res.body.consents.map((c: { purpose: string; granted: number }) => [c.purpose, c.granted]));
    expect(consents).toEqual({ analytics: 2, personalisation: 2, push: 1 });
    // No names, phones or ids anywhere in the answer.
    const text = JSON.stringify(res.body);
    for (const id of Object.values(readers)) expect(text).not.toContain(id);
    expect(text).not.toMatch(/1370000000\d/);
  });

  it('unit staff count only readers registered at or following their subtree', async () => {
    const jinjiang = await (await server.as('jinjiang_admin')).get('/api/readers/stats');
    expect(jinjiang.status).toBe(200);
    // Two registered at 锦江, one from 青羊 who follows 锦江; not the 绵阳 reader.
    expect(jinjiang.body.total).toBe(3);
    expect(jinjiang.body.followersByUnit).toEqual([expect.objectContaining({ name: '锦江区融媒体中心', count: 1 })]);

    const chengdu = await (await server.as('chengdu_admin')).get('/api/readers/stats');
    expect(chengdu.body.total).toBe(3);
    const mianyang = await (await server.as('mianyang_admin')).get('/api/readers/stats');
    expect(mianyang.body.total).toBe(1);
    expect(mianyang.body.byRegion).toEqual([{ code: '510703', name: '涪城区', count: 1 }]);

    // Narrowing to a unit inside one's subtree works; a unit outside it is refused.
    const chengduAdmin = await server.as('chengdu_admin');
    const qingyangId = (await server.db.selectFrom('units').select('id').where('division_code', '=', '510105').executeTakeFirstOrThrow()).id;
    const mianyangId = (await server.db.selectFrom('units').select('id').where('division_code', '=', '510700').executeTakeFirstOrThrow()).id;
    expect((await chengduAdmin.get(`/api/readers/stats?unitId=${qingyangId}`)).body.total).toBe(1);
    expect((await chengduAdmin.get(`/api/readers/stats?unitId=${mianyangId}`)).status).toBe(403);
  });

  it('reporters and editors see no reader statistics', async () => {
    expect((await (await server.as('jinjiang_reporter')).get('/api/readers/stats')).status).toBe(403);
    expect((await (await server.as('qingyang_editor')).get('/api/readers/stats')).status).toBe(403);
    expect((await server.client().get('/api/readers/stats')).status).toBe(401);
  });

  it('only the alliance admin may look up one reader, contacts masked, and the look is audited', async () => {
    const admin = await server.as('admin');
    const res = await admin.get(`/api/readers/${readers.jinjiangA}`);
    expect(res.status).toBe(200);
    expect(res.body.phone).toMatch(/^137\*{4}\d{4}$/);
    const audit = await server.db.selectFrom('audit_log').select(['action', 'actor_user_id']).where('target_id', '=', readers.jinjiangA!).where('action', '=', 'reader.lookup').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_user_id).not.toBeNull();
    for (const who of ['jinjiang_admin', 'supervisor', 'chengdu_admin']) {
      expect((await (await server.as(who)).get(`/api/readers/${readers.jinjiangA}`)).status, who).toBe(403);
    }
    expect((await admin.get('/api/readers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('keeps staff and reader sessions apart', async () => {
    const staff = await server.as('jinjiang_admin');
    expect((await staff.get('/api/reader/me')).status).toBe(401);
    // A staff member reading the portal can still send events: the staff CSRF check does not apply there.
    const res = await staff.request('POST', '/api/reader/events', { events: [{ id: 'staff-reading-000001', type: 'view', at: new Date().toISOString() }] }, { 'x-csrf-token': '', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130' });
    expect(res.status).toBe(202);
  });
});

describe('looking up one reader stays inside the caller\'s subtree (D2)', () => {
  it('a county-level alliance admin reads readers registered in its county only; others answer 404 and leave no trail', async () => {
    const jinniuReader = await signUp('510106', '510106', ['analytics']);
    // Registered at 青羊, living in and following 金牛: counted in 金牛's statistics, but its record is 青羊's.
    const follower = await signUp('510105', '510106', ['analytics'], ['510106']);
    const county = await server.as('jinniu_alliance_admin');
    const own = await county.get(`/api/readers/${jinniuReader}`);
    expect(own.status).toBe(200);
    expect(own.body.phone).toMatch(/^137\*{4}\d{4}$/);
    // 锦江 and 绵阳 readers are another county's and another city's: no profile, no hint they exist.
    for (const id of [readers.jinjiangA!, readers.mianyang!, follower]) {
      const res = await county.get(`/api/readers/${id}`);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/137\*{4}/);
    }
    const trail = await server.db.selectFrom('audit_log').select('target_id').where('action', '=', 'reader.lookup').where('target_id', 'in', [readers.jinjiangA!, readers.mianyang!, follower, jinniuReader]).execute();
    expect(trail.map((r) => r.target_id).filter((t) => t !== readers.jinjiangA)).toEqual([jinniuReader]);
    // The root's alliance admin still sees every reader.
    const root = await server.as('admin');
    expect((await root.get(`/api/readers/${readers.mianyang}`)).status).toBe(200);
    expect((await root.get(`/api/readers/${follower}`)).status).toBe(200);
  });

});
