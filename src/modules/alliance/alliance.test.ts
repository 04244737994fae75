import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const unitByCode = async (code: string) => {
  const admin = await server.as('admin');
  const { body } = await admin.get('/api/units');
  return body.items.find((u: { divisionCode: string }) => u.divisionCode === code);
};

describe('the seeded alliance', () => {
  it('holds one province root, 4 founders, 21 cities and 185 county-level centres', async () => {
    const admin = await server.as('admin');
    const { status, body } = await admin.get('/api/units');
    expect(status).toBe(200);
    const count = (kind: string) => body.items.filter((u: { kind: string }) => u.kind === kind).length;
    expect(count('province')).toBe(1);
    expect(count('founder')).toBe(4);
    expect(count('city')).toBe(21);
    expect(count('county')).toBe(183);
    expect(count('zone')).toBe(2);
    const root = body.items.find((u: { kind: string }) => u.kind === 'province');
    expect(root.name).toBe('中共四川省委宣传部');
    const founders = body.items.filter((u: { kind: string }) => u.kind === 'founder').map((u: { name: string }) => u.name);
    expect(founders.sort()).toEqual(['中国广电四川公司', '四川广播电视台', '四川新传媒集团', '四川日报报业集团'].sort());
    const chengdu = body.items.find((u: { divisionCode: string }) => u.divisionCode === '510100');
    expect(chengdu.name).toBe('成都市');
    const zones = body.items.filter((u: { kind: string }) => u.kind === 'zone');
    expect(zones.map((z: { name: string }) => z.name).sort()).toEqual(['四川天府新区融媒体中心', '成都东部新区融媒体中心'].sort());
    expect(zones.every((z: { parentId: string }) => z.parentId === chengdu.id)).toBe(true);
  });

  it('counts members per unit', async () => {
    const jinjiang = await unitByCode('510104');
    // jinjiang_reporter, _editor, _chief, _admin and multi
    expect(jinjiang.memberCount).toBe(5);
  });

  it('filters by kind and parent', async () => {
    const c = await server.as('jinjiang_reporter');
    const chengdu = await unitByCode('510100');
    const { body } = await c.get(`/api/units?parentId=${chengdu.id}&kind=zone`);
    expect(body.items).toHaveLength(2);
  });

  it('needs a sign-in', async () => {
    const res = await server.client().get('/api/units');
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('请先登录');
  });
});

describe('managing units', () => {
  it('lets the alliance admin add, rename, move and deactivate a unit, with audit rows', async () => {
    const admin = await server.as('admin');
    const chengdu = await unitByCode('510100');
    const mianyang = await unitByCode('510700');
    const created = await admin.post('/api/units', { parentId: chengdu.id, kind: 'zone', name: '测试功能区融媒体中心' });
    expect(created.status).toBe(201);
    expect(created.body.depth).toBe(2);

    const renamed = await admin.patch(`/api/units/${created.body.id}`, { name: '新名字融媒体中心' });
    expect(renamed.body.name).toBe('新名字融媒体中心');

    const moved = await admin.patch(`/api/units/${created.body.id}`, { parentId: mianyang.id });
    expect(moved.status).toBe(200);
    expect(moved.body.parentId).toBe(mianyang.id);

    const off = await admin.patch(`/api/units/${created.body.id}`, { active: false });
    expect(off.body.active).toBe(false);
    const list = await admin.get(`/api/units?parentId=${mianyang.id}`);
    expect(list.body.items.some((u: { id: string }) => u.id === created.body.id)).toBe(false);
    const withInactive = await admin.get(`/api/units?parentId=${mianyang.id}&includeInactive=true`);
    expect(withInactive.body.items.some((u: { id: string }) => u.id === created.body.id)).toBe(true);

    const audit = await admin.get(`/api/audit?unitId=${created.body.id}`);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['unit.update', 'unit.update', 'unit.update', 'unit.create']);
    expect(audit.body.items[0].before.active).toBe(true);
    expect(audit.body.items[0].after.active).toBe(false);
  });

  it('moves a whole subtree so its descendants follow', async () => {
    const admin = await server.as('admin');
    const root = (await admin.get('/api/units?kind=province')).body.items[0];
    const group = await admin.post('/api/units', { parentId: root.id, kind: 'department', name: '测试部门' });
    const child = await admin.post('/api/units', { parentId: group.body.id, kind: 'department', name: '测试处室' });
    const deyang = await unitByCode('510600');
    await admin.patch(`/api/units/${group.body.id}`, { parentId: deyang.id });
    const after = await admin.get(`/api/units/${child.body.id}`);
    expect(after.body.depth).toBe(3);
    // The Deyang admin's subtree now contains the child, so a Deyang unit admin could manage it.
    const cycle = await admin.patch(`/api/units/${group.body.id}`, { parentId: child.body.id });
    expect(cycle.status).toBe(409);
    expect(cycle.body.detail).toContain('下级');
  });

  it('refuses to deactivate a unit that still has active children', async () => {
    const admin = await server.as('admin');
    const chengdu = await unitByCode('510100');
    const res = await admin.patch(`/api/units/${chengdu.id}`, { active: false });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('unit_has_children');
    expect((await unitByCode('510100')).active).toBe(true);
  });

  it('lets a city admin manage its own counties but not another city', async () => {
    const chengduAdmin = await server.as('chengdu_admin');
    const jinjiang = await unitByCode('510104');
    const fucheng = await unitByCode('510703');
    const ok = await chengduAdmin.patch(`/api/units/${jinjiang.id}`, { name: '锦江区融媒体中心（测试）' });
    expect(ok.status).toBe(200);
    await chengduAdmin.patch(`/api/units/${jinjiang.id}`, { name: '锦江区融媒体中心' });
    const other = await chengduAdmin.patch(`/api/units/${fucheng.id}`, { name: '改不了' });
    expect(other.status).toBe(403);
    expect((await unitByCode('510703')).name).toBe('涪城区融媒体中心');
    const mianyang = await unitByCode('510700');
    const addThere = await chengduAdmin.post('/api/units', { parentId: mianyang.id, kind: 'county', name: '不该出现' });
    expect(addThere.status).toBe(403);
    const chengdu = await unitByCode('510100');
    const self = await chengduAdmin.patch(`/api/units/${chengdu.id}`, { name: '自己改自己' });
    expect(self.status).toBe(403);
  });

  it('keeps supervisors and newsroom staff read-only', async () => {
    const chengdu = await unitByCode('510100');
    for (const who of ['supervisor', 'jinjiang_reporter', 'qingyang_editor']) {
      const c = await server.as(who);
      const res = await c.post('/api/units', { parentId: chengdu.id, kind: 'county', name: `${who}的单位` });
      expect(res.status, who).toBe(403);
    }
    const admin = await server.as('admin');
    const { body } = await admin.get(`/api/units?parentId=${chengdu.id}`);
    expect(body.items.some((u: { name: string }) => u.name.endsWith('的单位'))).toBe(false);
  });

  it('refuses a second province root and a duplicate division code', async () => {
    const admin = await server.as('admin');
    const chengdu = await unitByCode('510100');
    const root = await admin.post('/api/units', { parentId: chengdu.id, kind: 'province', name: '第二个省' });
    expect(root.status).toBe(400);
    const dup = await admin.post('/api/units', { parentId: chengdu.id, kind: 'county', name: '重复', divisionCode: '510104' });
    expect(dup.status).toBe(409);
    const sameName = await admin.post('/api/units', { parentId: chengdu.id, kind: 'county', name: '锦江区融媒体中心' });
    expect(sameName.status).toBe(409);
    expect(sameName.body.code).toBe('unit_name_taken');
  });
});
