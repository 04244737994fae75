import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PASSWORD } from '../../test/fixtures.ts';
import { ApiClient, startTestServer, type TestServer } from '../../test/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const unitId = async (code: string) => {
  const row = await server.db.selectFrom('units').select('id').where('division_code', '=', code).executeTakeFirstOrThrow();
  return row.id;
};
const userId = async (username: string) =>
  (await server.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

describe('signing in', () => {
  it('sets an HTTP-only session cookie and reports memberships', async () => {
    const c = server.client();
    const res = await c.post('/api/session', { username: 'multi', password: FIXTURE_PASSWORD });
    expect(res.status).toBe(204);
    const cookie = res.headers.getSetCookie().find((h) => h.startsWith('tianfu_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = await c.get('/api/session');
    expect(session.body.user.memberships.map((m: { unitName: string }) => m.unitName).sort()).toEqual(['成华区融媒体中心', '锦江区融媒体中心'].sort());
    expect(session.body.csrfToken).toMatch(/^[\w-]{20,}$/);
  });

  it('refuses a wrong password with a message, and the username is matched case-insensitively', async () => {
    const bad = await server.client().post('/api/session', { username: 'admin', password: 'nope-nope-nope' });
    expect(bad.status).toBe(401);
    expect(bad.body.detail).toBe('用户名或密码错误');
    const ok = await server.client().post('/api/session', { username: 'ADMIN', password: FIXTURE_PASSWORD });
    expect(ok.status).toBe(204);
  });

  it('throttles repeated failures, even when the right password finally comes', async () => {
    const c = server.client();
    for (let i = 0; i < 5; i++) {
      expect((await c.post('/api/session', { username: 'qingyang_editor', password: `wrong-${i}-xxxx` })).status).toBe(401);
    }
    // The failure that tips the counter into a lock says so at once.
    const sixth = await c.post('/api/session', { username: 'qingyang_editor', password: 'wrong-again-xx' });
    expect(sixth.status).toBe(429);
    const locked = await c.post('/api/session', { username: 'qingyang_editor', password: FIXTURE_PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.detail).toContain('登录失败次数过多');
    await server.db.deleteFrom('login_throttle').execute();
  });

  it('stores only a digest of the session id', async () => {
    const c = await server.as('jinjiang_reporter');
    const raw = decodeURIComponent(c.cookie.split('=')[1]!);
    const rows = await server.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.some((r) => r.id_hash === raw)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('signs out and the cookie stops working', async () => {
    const c = await server.as('jinjiang_reporter');
    const cookie = c.cookie;
    expect((await c.delete('/api/session')).status).toBe(204);
    const replay = new ApiClient(server.url);
    replay.cookie = cookie;
    expect((await replay.get('/api/session')).status).toBe(401);
  });
});

describe('request ids', () => {
  it('every answer names its request id, a sane one the caller sent is kept, and a bad token still gets one', async () => {
    const ok = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-abc-12345' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe('trace-abc-12345');
    const missing = await fetch(`${server.url}/api/no-such-route`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const refused = await fetch(`${server.url}/api/users`, { headers: { authorization: 'Bearer tf_not_a_real_token' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('CSRF protection', () => {
  it('refuses a cookie-authenticated write without the token, and changes nothing', async () => {
    const c = await server.as('admin');
    const chengdu = await unitId('510100');
    const res = await c.request('POST', '/api/units', { parentId: chengdu, kind: 'zone', name: '伪造请求' }, { 'x-csrf-token': 'forged' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('csrf');
    const made = await server.db.selectFrom('units').select('id').where('name', '=', '伪造请求').execute();
    expect(made).toHaveLength(0);
  });
});

describe('the unit switcher', () => {
  it('changes the role the caller acts with', async () => {
    const c = await server.as('multi');
    expect(c.csrf).toBeTruthy();
    const chenghua = await unitId('510108');
    const jinjiang = await unitId('510104');
    for (const [unit, role] of [
      [jinjiang, 'reporter'],
      [chenghua, 'chief_editor'],
    ]) {
      const switched = await c.put('/api/session/unit', { unitId: unit });
      expect(switched.status).toBe(200);
      expect(switched.body.role).toBe(role);
      expect((await c.get('/api/session')).body.activeUnitId).toBe(unit);
    }
    // The role follows the switch: as a reporter in 锦江 the audit log is closed.
    await c.put('/api/session/unit', { unitId: jinjiang });
    expect((await c.get('/api/audit')).status).toBe(403);
  });

  it('refuses a unit the caller does not belong to', async () => {
    const c = await server.as('multi');
    const res = await c.put('/api/session/unit', { unitId: await unitId('510105') });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('不是该单位的成员');
  });
});

describe('staff tenancy', () => {
  it('a county user sees its own colleagues only', async () => {
    const c = await server.as('jinjiang_reporter');
    const { body } = await c.get('/api/users');
    const names = body.items.map((u: { username: string }) => u.username).sort();
    expect(names).toEqual(['jinjiang_admin', 'jinjiang_chief', 'jinjiang_editor', 'jinjiang_reporter', 'multi']);
  });

  it("a county user cannot see or change another county's users", async () => {
    const c = await server.as('jinjiang_reporter');
    const qingyang = await userId('qingyang_editor');
    expect((await c.get(`/api/users/${qingyang}`)).status).toBe(404);
    expect((await c.get(`/api/users?unitId=${await unitId('510105')}`)).status).toBe(403);
    const patch = await c.patch(`/api/users/${qingyang}`, { displayName: '被改了' });
    expect(patch.status).toBe(404);
    const countyAdmin = await server.as('jinjiang_admin');
    expect((await countyAdmin.patch(`/api/users/${qingyang}`, { displayName: '被改了' })).status).toBe(404);
    const grant = await countyAdmin.put(`/api/users/${qingyang}/memberships/${await unitId('510105')}`, { role: 'unit_admin' });
    expect(grant.status).toBe(403);
    const row = await server.db.selectFrom('users').select('display_name').where('id', '=', qingyang).executeTakeFirstOrThrow();
    expect(row.display_name).toBe('qingyang_editor');
  });

  it('a supervisor reads its subtree and cannot write', async () => {
    const c = await server.as('supervisor');
    const { body } = await c.get('/api/users');
    expect(body.items.length).toBeGreaterThanOrEqual(10);
    const qingyang = await userId('qingyang_editor');
    expect((await c.get(`/api/users/${qingyang}`)).status).toBe(200);
    expect((await c.patch(`/api/users/${qingyang}`, { displayName: '监管改名' })).status).toBe(403);
    const created = await c.post('/api/users', {
      username: 'by_supervisor',
      displayName: '监管新增',
      password: 'Long-enough-pass1',
      unitId: await unitId('510105'),
      role: 'reporter',
    });
    expect(created.status).toBe(403);
    expect(await server.db.selectFrom('users').select('id').where('username', '=', 'by_supervisor').executeTakeFirst()).toBeUndefined();
    expect((await c.get('/api/audit')).status).toBe(200);
  });

  it('an admin of one city cannot manage another city', async () => {
    const chengduAdmin = await server.as('chengdu_admin');
    const mianyangAdmin = await userId('mianyang_admin');
    expect((await chengduAdmin.get(`/api/users/${mianyangAdmin}`)).status).toBe(404);
    const add = await chengduAdmin.post('/api/users', {
      username: 'into_mianyang',
      displayName: '跨市新增',
      password: 'Long-enough-pass1',
      unitId: await unitId('510703'),
      role: 'reporter',
    });
    expect(add.status).toBe(403);
    expect(await server.db.selectFrom('users').select('id').where('username', '=', 'into_mianyang').executeTakeFirst()).toBeUndefined();
    expect((await chengduAdmin.get(`/api/audit?unitId=${await unitId('510700')}`)).status).toBe(403);
  });

  it('a city admin adds staff to its county, grants roles, and cannot hand out oversight roles', async () => {
    const c = await server.as('chengdu_admin');
    const wuhou = await unitId('510107');
    const created = await c.post('/api/users', {
      username: 'wuhou_editor',
      displayName: '武侯编辑',
      password: 'Long-enough-pass1',
      unitId: wuhou,
      role: 'editor',
    });
    expect(created.status).toBe(201);
    expect(created.body.memberships).toEqual([{ unitId: wuhou, unitName: '武侯区融媒体中心', unitKind: 'county', role: 'editor' }]);
    const promote = await c.put(`/api/users/${created.body.id}/memberships/${wuhou}`, { role: 'chief_editor' });
    expect(promote.body.memberships[0].role).toBe('chief_editor');
    const oversight = await c.put(`/api/users/${created.body.id}/memberships/${wuhou}`, { role: 'supervisor' });
    expect(oversight.status).toBe(403);
    const fresh = await server.client().post('/api/session', { username: 'wuhou_editor', password: 'Long-enough-pass1' });
    expect(fresh.status).toBe(204);
    const dup = await c.post('/api/users', { username: 'WUHOU_editor', displayName: 'x', password: 'Long-enough-pass1', unitId: wuhou, role: 'editor' });
    expect(dup.status).toBe(409);
  });

  it('deactivating a user ends their sessions and blocks sign-in; nobody deactivates themselves', async () => {
    const admin = await server.as('admin');
    const victim = await server.as('qingyang_editor');
    const id = await userId('qingyang_editor');
    expect((await admin.patch(`/api/users/${id}`, { active: false })).body.active).toBe(false);
    expect((await victim.get('/api/session')).status).toBe(401);
    expect((await server.client().post('/api/session', { username: 'qingyang_editor', password: FIXTURE_PASSWORD })).status).toBe(401);
    await admin.patch(`/api/users/${id}`, { active: true });
    await server.db.deleteFrom('login_throttle').execute();
    const self = await admin.patch(`/api/users/${await userId('admin')}`, { active: false });
    expect(self.status).toBe(409);
  });
});

describe('personal API tokens', () => {
  it('works as a bearer token, is stored hashed, shown once, and stops working when revoked', async () => {
    const c = await server.as('chengdu_admin');
    const made = await c.post('/api/tokens', { name: '发布脚本', expiresInDays: 30 });
    expect(made.status).toBe(201);
    expect(made.body.token).toMatch(/^tf_/);
    const stored = await server.db.selectFrom('api_tokens').select(['token_hash', 'prefix']).where('id', '=', made.body.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(made.body.token);
    expect(made.body.token.startsWith(stored.prefix)).toBe(true);
    const list = await c.get('/api/tokens');
    expect(JSON.stringify(list.body)).not.toContain(made.body.token);

    const bearer = new ApiClient(server.url);
    bearer.bearer = made.body.token;
    const users = await bearer.get('/api/users');
    expect(users.status).toBe(200);
    // A token needs no CSRF header: browsers never attach it by themselves.
    const write = await bearer.post('/api/units', { parentId: await unitId('510100'), kind: 'zone', name: '令牌建的单位' });
    expect(write.status).toBe(201);

    expect((await c.delete(`/api/tokens/${made.body.id}`)).status).toBe(204);
    const after = await bearer.get('/api/users');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('bad_token');
  });

  it("cannot revoke someone else's token", async () => {
    const owner = await server.as('mianyang_admin');
    const made = await owner.post('/api/tokens', { name: 'mine' });
    const other = await server.as('chengdu_admin');
    expect((await other.delete(`/api/tokens/${made.body.id}`)).status).toBe(404);
  });
});

describe('the audit log', () => {
  it('records every write with who, unit, action, target, before and after', async () => {
    const admin = await server.as('admin');
    const id = await userId('jinjiang_reporter');
    await admin.patch(`/api/users/${id}`, { displayName: '锦江记者' });
    const { body } = await admin.get('/api/audit?action=user.update');
    const row = body.items.find((a: { targetId: string }) => a.targetId === id);
    expect(row.actorName).toBe('admin');
    expect(row.before.display_name).toBe('jinjiang_reporter');
    expect(row.after.display_name).toBe('锦江记者');
    expect(row.requestId).toBeTruthy();
    expect(JSON.stringify(body)).not.toContain('password_hash');
  });

  it('is closed to newsroom staff and scoped to the subtree for unit admins', async () => {
    const reporter = await server.as('jinjiang_reporter');
    expect((await reporter.get('/api/audit')).status).toBe(403);
    const mianyang = await server.as('mianyang_admin');
    const { body } = await mianyang.get('/api/audit?limit=200');
    const mianyangUnits = new Set(
      (await server.db.selectFrom('units').select('id').where('path', 'like', `%${await unitId('510700')}%`).execute()).map((u) => u.id),
    );
    expect(body.items.every((a: { unitId: string }) => mianyangUnits.has(a.unitId))).toBe(true);
  });

  it('pages backwards with nextBefore', async () => {
    const admin = await server.as('admin');
    const first = await admin.get('/api/audit?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await admin.get(`/api/audit?limit=2&before=${first.body.nextBefore}`);
    expect(second.body.items[0].id).toBeLessThan(first.body.items[1].id + 1);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
  });

  it('the nightly retention job purges rows past the window, through pg-boss', async () => {
    const { startJobs, stopJobs } = await import('../../platform/jobs.ts');
    const { AUDIT_RETENTION_JOB } = await import('./jobs.ts');
    const root = (await server.db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow()).id;
    // The purge cuts the hash chain only at its old end, so the old row must come first in chain order, as
    // it would have in life: the rows before it aged too (before anything sealed them).
    await sql`update audit_log set at = at - interval '400 days' where chain_seq is null`.execute(server.db);
    await sql`insert into audit_log (unit_id, at, action, target_type) values (${root}, now() - interval '400 days', 'old.thing', 'test'), (${root}, now() - interval '10 days', 'recent.thing', 'test')`.execute(server.db);
    const silent = { info() {}, error() {} } as unknown as Parameters<typeof startJobs>[2];
    const boss = await startJobs(server.handle.pool, server.services.jobs, silent);
    try {
      const id = await boss.send(AUDIT_RETENTION_JOB, {});
      expect(id).toBeTruthy();
      let state = '';
      for (let i = 0; i < 60 && state !== 'completed' && state !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 500));
        state = (await boss.getJobById(AUDIT_RETENTION_JOB, id!))?.state ?? '';
      }
      expect(state).toBe('completed');
      const left = await server.db.selectFrom('audit_log').select('action').where('target_type', '=', 'test').execute();
      expect(left.map((r) => r.action)).toEqual(['recent.thing']);
      expect((await server.services.audit.verify()).intact).toBe(true);
      const schedules = await boss.getSchedules();
      expect(schedules.map((s) => s.name)).toContain(AUDIT_RETENTION_JOB);
    } finally {
      await stopJobs(boss);
    }
  });
});

describe('adding an existing account to a unit (D1)', () => {
  const memberships = async (username: string) =>
    server.db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .innerJoin('units as un', 'un.id', 'm.unit_id')
      .select(['un.division_code', 'm.role'])
      .where('u.username', '=', username)
      .orderBy('un.division_code')
      .execute();

  it("a county admin or a county-level alliance admin cannot pull another county's staff in, and learns nothing about them", async () => {
    const target = await userId('jinjiang_editor');
    const before = await memberships('jinjiang_editor');
    for (const [who, unit] of [
      ['qingyang_admin', '510105'],
      ['jinniu_alliance_admin', '510106'],
    ] as const) {
      const c = await server.as(who);
      const res = await c.put(`/api/users/${target}/memberships/${await unitId(unit)}`, { role: 'editor' });
      expect(res.status, who).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('jinjiang_editor');
      expect(JSON.stringify(res.body)).not.toContain('锦江');
      expect((await c.get(`/api/users/${target}`)).status).toBe(404);
    }
    expect(await memberships('jinjiang_editor')).toEqual(before);
  });

  it('a direct add needs an admin over every unit the person already belongs to', async () => {
    const root = await server.as('admin');
    const made = await root.post('/api/users', { username: 'two_cities', displayName: '两市兼职', password: 'Long-enough-pass1', unitId: await unitId('510104'), role: 'reporter' });
    expect(made.status).toBe(201);
    // 成都 manages 锦江 and 青羊: it may add a 锦江 person to 青羊 directly.
    const chengdu = await server.as('chengdu_admin');
    const ok = await chengdu.put(`/api/users/${made.body.id}/memberships/${await unitId('510105')}`, { role: 'editor' });
    expect(ok.status).toBe(200);
    expect(ok.body.memberships).toHaveLength(2);
    // Once the person also works in 绵阳, 成都 no longer manages all of the account: an invitation is needed.
    expect((await root.put(`/api/users/${made.body.id}/memberships/${await unitId('510703')}`, { role: 'reporter' })).status).toBe(200);
    const refused = await chengdu.put(`/api/users/${made.body.id}/memberships/${await unitId('510107')}`, { role: 'editor' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('invitation_required');
    expect(refused.body.detail).toContain('邀请');
    expect(JSON.stringify(refused.body)).not.toContain('涪城');
    expect((await memberships('two_cities')).map((m) => m.division_code)).toEqual(['510104', '510105', '510703']);
    // A role change inside a unit the person is already in pulls nobody in, and stays with that unit's admin.
    const promote = await chengdu.put(`/api/users/${made.body.id}/memberships/${await unitId('510105')}`, { role: 'chief_editor' });
    expect(promote.status).toBe(200);
  });

  it('an invitation is accepted by the person, audited, and only then opens their profile to the inviting unit', async () => {
    const inviter = await server.as('qingyang_admin');
    const invitee = await server.as('jinjiang_chief');
    const chiefId = await userId('jinjiang_chief');
    const qingyang = await unitId('510105');

    const sent = await inviter.post('/api/invitations', { username: 'jinjiang_chief', role: 'editor' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ unitId: qingyang, unitName: '青羊区融媒体中心', username: 'jinjiang_chief', role: 'editor', status: 'pending' });
    expect(JSON.stringify(sent.body)).not.toContain('锦江');
    expect((await inviter.post('/api/invitations', { username: 'JINJIANG_chief', role: 'editor' })).status).toBe(409);
    expect((await inviter.post('/api/invitations', { username: 'jinjiang_chief', role: 'supervisor' })).status).toBe(403);
    expect((await inviter.post('/api/invitations', { username: 'no_such_person', role: 'editor' })).status).toBe(404);
    expect((await inviter.post('/api/invitations', { username: 'qingyang_editor', role: 'editor' })).status).toBe(409);
    expect((await inviter.get('/api/invitations')).body.items.map((i: { id: string }) => i.id)).toEqual([sent.body.id]);
    // A pending invitation opens nothing yet.
    expect((await inviter.get(`/api/users/${chiefId}`)).status).toBe(404);

    // Nobody else sees, accepts or cancels it.
    const other = await server.as('jinjiang_reporter');
    expect((await other.get('/api/me/invitations')).body.items).toEqual([]);
    expect((await other.post(`/api/me/invitations/${sent.body.id}/accept`)).status).toBe(404);
    const mianyang = await server.as('mianyang_admin');
    expect((await mianyang.get('/api/invitations')).body.items).toEqual([]);
    expect((await mianyang.delete(`/api/invitations/${sent.body.id}`)).status).toBe(404);

    const mine = await invitee.get('/api/me/invitations');
    expect(mine.body.items).toEqual([expect.objectContaining({ id: sent.body.id, unitName: '青羊区融媒体中心', role: 'editor', invitedByName: 'qingyang_admin' })]);
    const accepted = await invitee.post(`/api/me/invitations/${sent.body.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.user.memberships.map((m: { unitId: string; role: string }) => [m.unitId, m.role])).toContainEqual([qingyang, 'editor']);
    expect((await invitee.post(`/api/me/invitations/${sent.body.id}/accept`)).status).toBe(409);
    expect((await invitee.get('/api/me/invitations')).body.items).toEqual([]);
    const trail = await server.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'unit_id']).where('target_id', '=', chiefId).where('unit_id', '=', qingyang).orderBy('id').execute();
    expect(trail.map((r) => r.action)).toEqual(['invitation.create', 'invitation.accept', 'membership.set']);
    expect(trail[2]!.actor_user_id).toBe(chiefId);
    // Now a colleague of 青羊, the person is visible there.
    expect((await inviter.get(`/api/users/${chiefId}`)).status).toBe(200);
  });

  it('a declined or cancelled invitation adds nothing', async () => {
    const inviter = await server.as('qingyang_admin');
    const reporter = await server.as('jinjiang_reporter');
    const declined = await inviter.post('/api/invitations', { username: 'jinjiang_reporter', role: 'reporter' });
    expect((await reporter.post(`/api/me/invitations/${declined.body.id}/decline`)).status).toBe(204);
    const cancelled = await inviter.post('/api/invitations', { username: 'jinjiang_reporter', role: 'reporter' });
    expect(cancelled.status).toBe(201);
    expect((await inviter.delete(`/api/invitations/${cancelled.body.id}`)).status).toBe(204);
    expect((await reporter.post(`/api/me/invitations/${cancelled.body.id}/accept`)).status).toBe(409);
    expect((await memberships('jinjiang_reporter')).map((m) => m.division_code)).toEqual(['510104']);
    expect((await inviter.get('/api/invitations')).body.items).toEqual([]);
  });
});
