import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type ApiClient, type TestServer } from '../../test/harness.ts';
import { docFromText } from '../content/doc.ts';
import { itemStatuses } from '../content/tables.ts';
import { defaultPolicy, mayActAt } from '../../policies/index.ts';
import { transitions, workflowActions } from './transitions.ts';

/** 锦江区融媒体中心: reporter writes; editor 初审, chief editor 复审, unit admin (the leader) 终审. */
let server: TestServer;
let reporter: ApiClient;
let editor: ApiClient;
let chief: ApiClient;
let leader: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  [reporter, editor, chief, leader] = await Promise.all(['jinjiang_reporter', 'jinjiang_editor', 'jinjiang_chief', 'jinjiang_admin'].map((u) => server.as(u)));
});
afterAll(() => server.close());

const write = async (by: ApiClient, title = '锦江区推出社区便民服务新举措', text = '锦江区今天推出社区便民服务新举措。居民可在家门口办理社保业务。') => {
  const res = await by.post('/api/items', { type: 'article', title, body: docFromText(text) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const act = (by: ApiClient, id: string, action: string, body: Record<string, unknown> = {}) => by.post(`/api/items/${id}/workflow/${action}`, body);
const status = async (id: string) => (await leader.get(`/api/items/${id}/workflow`)).body;

/** Walks a fresh story to the named state through the real chain. */
async function storyIn(state: string): Promise<string> {
  const id = await write(reporter, `状态 ${state}`);
  if (state === 'draft') return id;
  expect((await act(reporter, id, 'submit')).status).toBe(200);
  if (state === 'submitted') return id;
  if (state === 'archived') {
    expect((await act(editor, id, 'reject', { comment: '不予采用' })).status).toBe(200);
    return id;
  }
  expect((await act(editor, id, 'approve')).status).toBe(200);
  if (state === 'in_review') return id;
  expect((await act(chief, id, 'approve')).status).toBe(200);
  expect((await act(leader, id, 'approve')).status).toBe(200);
  if (state === 'signed_off') return id;
  if (state === 'scheduled') {
    expect((await act(chief, id, 'schedule', { publishAt: new Date(Date.now() + 3600_000).toISOString() })).status).toBe(200);
    return id;
  }
  expect((await act(chief, id, 'publish')).status).toBe(200);
  if (state === 'published') return id;
  if (state === 'retracted') {
    expect((await act(chief, id, 'retract', { comment: '事实有误' })).status).toBe(200);
    return id;
  }
  // corrected: edit the live story, take it through the chain again, republish with a note.
  await reporter.patch(`/api/items/${id}`, { body: docFromText('锦江区今天推出社区便民服务新举措。居民可在家门口办理医保业务。') });
  await act(reporter, id, 'submit');
  await act(editor, id, 'approve');
  await act(chief, id, 'approve');
  await act(leader, id, 'approve');
  expect((await act(chief, id, 'publish', { comment: '更正：应为医保业务' })).status).toBe(200);
  return id;
}

describe('the state machine', () => {
  it('refuses every move the table does not allow, naming the state and the allowed moves', async () => {
    const reachable = itemStatuses.filter((s) => s !== 'incoming');
    for (const state of reachable) {
      const id = await storyIn(state);
      expect((await status(id)).status, state).toBe(state);
      for (const action of workflowActions.filter((a) => !transitions[a].from.includes(state))) {
        const res = await act(chief, id, action, { comment: '测试', publishAt: new Date(Date.now() + 3600_000).toISOString() });
        expect(res.status, `${action} from ${state}`).toBe(409);
        expect(res.body.code).toBe('invalid_transition');
        expect(res.body.currentStatus).toBe(state);
        expect(res.body.allowedActions).toEqual(workflowActions.filter((a) => transitions[a].from.includes(state)));
        expect(res.body.detail).toContain('当前状态为');
      }
      expect((await status(id)).status, `${state} unchanged`).toBe(state);
    }
  }, 180_000);

  it('walks draft → submitted → in review → signed off → scheduled → published, recording every move', async () => {
    const id = await write(reporter);
    expect((await act(reporter, id, 'submit')).body).toMatchObject({ status: 'submitted', level: 1 });
    expect((await act(editor, id, 'approve')).body).toMatchObject({ status: 'in_review', level: 2 });
    expect((await act(chief, id, 'approve')).body).toMatchObject({ status: 'in_review', level: 3 });
    const signed = await act(leader, id, 'approve');
    expect(signed.body.status).toBe('signed_off');
    const st = await status(id);
    expect(st.signedOffRevision).toBe(1);
    expect(st.allowedActions).toEqual(['schedule', 'publish']);
    expect((await act(chief, id, 'schedule', { publishAt: new Date(Date.now() + 60_000).toISOString() })).body.status).toBe('scheduled');
    expect((await act(chief, id, 'unschedule')).body.status).toBe('signed_off');
    expect((await act(chief, id, 'publish')).body.status).toBe('published');
    const timeline = (await editor.get(`/api/items/${id}/timeline`)).body.items;
    expect(timeline.map((t: { action: string; actorName: string }) => `${t.action}:${t.actorName}`)).toEqual([
      'submit:jinjiang_reporter',
      'approve:jinjiang_editor',
      'approve:jinjiang_chief',
      'approve:jinjiang_admin',
      'schedule:jinjiang_chief',
      'unschedule:jinjiang_chief',
      'publish:jinjiang_chief',
    ]);
    const audit = (await leader.get(`/api/audit?action=workflow.`)).body.items.filter((a: { targetId: string }) => a.targetId === id);
    expect(audit).toHaveLength(7);
  });

  it('returns with a comment to the author, who fixes and resubmits into a new round', async () => {
    const id = await write(reporter);
    await act(reporter, id, 'submit');
    await act(editor, id, 'approve');
    const noComment = await act(chief, id, 'return');
    expect(noComment.status).toBe(400);
    expect(noComment.body.detail).toContain('意见');
    expect((await act(chief, id, 'return', { comment: '第二段数据请核实来源' })).body.status).toBe('draft');
    const inbox = (await reporter.get('/api/notifications')).body.items;
    expect(inbox.find((n: { kind: string; body: string }) => n.kind === 'return')?.body).toBe('第二段数据请核实来源');
    await reporter.patch(`/api/items/${id}`, { body: docFromText('锦江区今天推出社区便民服务新举措。据区政务服务局统计，已有三千名居民办理。') });
    expect((await act(reporter, id, 'submit')).body).toMatchObject({ status: 'submitted', level: 1 });
    // The new round starts fresh: the same editor approves level one again.
    expect((await act(editor, id, 'approve')).body.level).toBe(2);
  });
});

describe('who may act at each level', () => {
  it('follows the default policy for every role at every level', () => {
    const expected: Record<string, number[]> = { reporter: [], editor: [1], chief_editor: [1, 2], unit_admin: [1, 2, 3], supervisor: [], alliance_admin: [] };
    for (const [role, levels] of Object.entries(expected)) {
      for (const level of [1, 2, 3]) {
        expect(mayActAt(defaultPolicy, level, role as never), `${role}@${level}`).toBe(levels.includes(level));
      }
    }
  });

  it('refuses the wrong roles at each level over HTTP and lets the right one through', async () => {
    const id = await write(reporter);
    await act(reporter, id, 'submit');
    const supervisor = await server.as('supervisor');
    const refusals: [ApiClient, string, number][] = [
      [reporter, 'reporter@1', 403],
      [supervisor, 'supervisor@1', 403],
    ];
    for (const [c, label, code] of refusals) expect((await act(c, id, 'approve')).status, label).toBe(code);
    expect((await act(editor, id, 'approve')).body.level).toBe(2);
    for (const [c, label] of [
      [reporter, 'reporter@2'],
      [editor, 'editor@2'],
    ] as const) {
      const res = await act(c, id, 'approve');
      expect(res.status, label).toBe(403);
    }
    expect((await act(chief, id, 'approve')).body.level).toBe(3);
    for (const [c, label] of [
      [reporter, 'reporter@3'],
      [editor, 'editor@3'],
      [chief, 'chief@3'],
    ] as const) {
      expect((await act(c, id, 'approve')).status, label).toBe(403);
    }
    expect((await act(leader, id, 'approve')).body.status).toBe('signed_off');
    // Another county's chief editor cannot touch this unit's chain.
    const qingyang = await server.as('qingyang_editor');
    expect((await act(qingyang, id, 'publish')).status).toBe(404);
  });

  it('refuses self-approval, and one person approving two levels', async () => {
    const own = await write(chief, '主编自己写的稿');
    await act(chief, own, 'submit');
    await act(editor, own, 'approve');
    const self = await act(chief, own, 'approve');
    expect(self.status).toBe(403);
    expect(self.body.detail).toContain('自己');

    const other = await write(reporter);
    await act(reporter, other, 'submit');
    await act(chief, other, 'approve');
    const twice = await act(chief, other, 'approve');
    expect(twice.status).toBe(403);
    expect(twice.body.detail).toContain('不同的人');
  });

  it('honours a policy that skips a level for a content type', async () => {
    const put = await leader.put('/api/review/policy', {
      levels: [
        { name: '初审', roles: ['editor', 'chief_editor', 'unit_admin'] },
        { name: '复审', roles: ['chief_editor', 'unit_admin'], skipTypes: ['live'] },
        { name: '终审', roles: ['unit_admin'] },
      ],
      editReturnsTo: 'first',
    });
    expect(put.status).toBe(200);
    const live = await reporter.post('/api/items', { type: 'live', title: '直播：社区运动会', liveUrl: 'https://live.example.cn/1' });
    await act(reporter, live.body.id, 'submit');
    expect((await act(editor, live.body.id, 'approve')).body.level).toBe(3);
    expect((await chief.put('/api/review/policy', { levels: [{ name: '一审', roles: ['editor'] }], editReturnsTo: 'first' })).status).toBe(403);
    await leader.put('/api/review/policy', { levels: defaultPolicy.levels, editReturnsTo: 'first' });
  });
});

describe('edits during review', () => {
  const editBody = (c: ApiClient, id: string, text: string) => c.patch(`/api/items/${id}`, { body: docFromText(text) });

  it("send the item back to the level the unit's policy names", async () => {
    for (const [policy, expected] of [
      ['first', { status: 'submitted', level: 1 }],
      ['same', { status: 'in_review', level: 2 }],
      ['draft', { status: 'draft', level: null }],
    ] as const) {
      await leader.put('/api/review/policy', { levels: defaultPolicy.levels, editReturnsTo: policy });
      const id = await write(reporter);
      await act(reporter, id, 'submit');
      await act(editor, id, 'approve');
      expect((await editBody(reporter, id, `改了一句（${policy}）。`)).status).toBe(200);
      expect(await status(id), policy).toMatchObject(expected);
    }
    await leader.put('/api/review/policy', { levels: defaultPolicy.levels, editReturnsTo: 'first' });
  });

  it('an edit after sign-off voids the sign-off', async () => {
    const id = await storyIn('signed_off');
    await editBody(reporter, id, '签发后又改了。');
    const st = await status(id);
    expect(st.status).toBe('submitted');
    expect(st.signedOffRevision).toBeNull();
    expect((await act(chief, id, 'publish')).status).toBe(409);
  });

  it('two saves on the same base revision: one wins, the other gets a conflict with the diff, nothing lost', async () => {
    const id = await write(reporter);
    const [a, b] = await Promise.all([
      reporter.patch(`/api/items/${id}`, { body: docFromText('甲的版本。'), baseRevision: 1 }),
      editor.patch(`/api/items/${id}`, { body: docFromText('乙的版本。'), baseRevision: 1 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? a : b;
    expect(loser.status).toBe(409);
    expect(loser.body.currentRevision).toBe(2);
    expect(loser.body.diff.body.length).toBeGreaterThan(0);
    const revs = (await reporter.get(`/api/items/${id}/revisions`)).body.items;
    expect(revs).toHaveLength(2);
    expect(winner.body.revision).toBe(2);
  });
});

describe('publication', () => {
  it('publishes exactly the signed-off revision, and keeps it while a correction is in progress', async () => {
    const id = await storyIn('signed_off');
    const signedOff = (await status(id)).signedOffRevision;
    await act(chief, id, 'publish');
    const published = (await reporter.get(`/api/items/${id}/published`)).body;
    const revision = (await reporter.get(`/api/items/${id}/revisions/${signedOff}`)).body;
    expect(published.revision).toBe(signedOff);
    expect(published.bodyText).toBe(revision.bodyText);
    expect(published.snapshot).toEqual(revision.snapshot);
    const item = (await reporter.get(`/api/items/${id}`)).body;
    expect(published.bodyHtml).toBe(item.bodyHtml);

    await reporter.patch(`/api/items/${id}`, { body: docFromText('更正中的新版本。') });
    expect((await status(id)).status).toBe('draft');
    const still = (await reporter.get(`/api/items/${id}/published`)).body;
    expect(still.bodyText).toBe(revision.bodyText);
  });

  it('a correction needs a note and shows as corrected', async () => {
    const id = await storyIn('corrected');
    const st = await status(id);
    expect(st.status).toBe('corrected');
    const published = (await reporter.get(`/api/items/${id}/published`)).body;
    expect(published.correctionNote).toBe('更正：应为医保业务');
    expect(published.bodyText).toContain('医保');
  });

  it('respects the embargo', async () => {
    const id = await write(reporter);
    await reporter.patch(`/api/items/${id}`, { embargoUntil: new Date(Date.now() + 2 * 3600_000).toISOString() });
    await act(reporter, id, 'submit');
    await act(editor, id, 'approve');
    await act(chief, id, 'approve');
    await act(leader, id, 'approve');
    const now = await act(chief, id, 'publish');
    expect(now.status).toBe(409);
    expect(now.body.code).toBe('embargoed');
    const early = await act(chief, id, 'schedule', { publishAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(early.status).toBe(409);
    const ok = await act(chief, id, 'schedule', { publishAt: new Date(Date.now() + 3 * 3600_000).toISOString() });
    expect(ok.body.status).toBe('scheduled');
  });

  it('the scheduler publishes what is due', async () => {
    const id = await storyIn('scheduled');
    const { published } = await server.services.workflow.publishDue(new Date(Date.now() + 2 * 3600_000));
    expect(published).toBeGreaterThanOrEqual(1);
    expect((await status(id)).status).toBe('published');
  });
});

describe('automatic review hook', () => {
  it('blocks a story carrying a placeholder until an authorised role overrides with a reason', async () => {
    const id = await write(reporter, '锦江区【待核实】人数', '今年共有XXX名志愿者参加。');
    const blocked = await act(reporter, id, 'submit');
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('blocked_by_checks');
    expect(blocked.body.findings.map((f: { rule: string }) => f.rule)).toEqual(['placeholder', 'placeholder']);
    const body = blocked.body.findings[1];
    expect(body.start).toBe('今年共有'.length);
    const reporterOverride = await act(reporter, id, 'submit', { override: { reason: '我觉得没问题' } });
    expect(reporterOverride.status).toBe(403);
    expect((await status(id)).status).toBe('draft');

    const chiefStory = await write(chief, '【待核实】主编的稿');
    const overridden = await act(chief, chiefStory, 'submit', { override: { reason: '标题中的标记为栏目名，非占位' } });
    expect(overridden.status).toBe(200);
    const timeline = (await chief.get(`/api/items/${chiefStory}/timeline`)).body.items;
    expect(timeline[0].overrideReason).toBe('标题中的标记为栏目名，非占位');
    expect(timeline[0].findings).toHaveLength(1);
    // The reviewer sees the findings too.
    expect((await editor.get(`/api/items/${chiefStory}/workflow`)).body.findings[0].rule).toBe('placeholder');
  });

  it('stores the findings per revision on submit and approval; the workflow state reads them and never runs the checks again', async () => {
    const id = await write(reporter);
    const stored = () => server.db.selectFrom('check_results').select(['revision', 'findings']).where('item_id', '=', id).orderBy('revision').execute();
    expect((await act(reporter, id, 'submit')).status).toBe(200);
    expect(await stored()).toEqual([{ revision: 1, findings: [] }]);

    const runs = vi.spyOn(server.services.workflow, 'runChecks');
    try {
      // What GET shows is the stored row: a finding planted there comes back, and no check runs.
      const planted = { rule: 'planted', severity: 'review', message: 'stored, not re-run' };
      await server.db.updateTable('check_results').set({ findings: JSON.stringify([planted]) }).where('item_id', '=', id).execute();
      expect((await editor.get(`/api/items/${id}/workflow`)).body.findings).toEqual([planted]);
      expect((await editor.get(`/api/items/${id}/workflow`)).body.findings).toEqual([planted]);
      expect(runs).not.toHaveBeenCalled();

      // Each approval checks the revision again and replaces its row.
      expect((await act(editor, id, 'approve')).status).toBe(200);
      expect(runs).toHaveBeenCalledTimes(1);
      expect(await stored()).toEqual([{ revision: 1, findings: [] }]);

      // An edit in review makes a revision nobody submitted: it is checked once, at the first read.
      await reporter.patch(`/api/items/${id}`, { body: docFromText('锦江区今天推出社区便民服务新举措。还有XXX名居民报名。') });
      expect((await chief.get(`/api/items/${id}/workflow`)).body.findings.map((f: { rule: string }) => f.rule)).toEqual(['placeholder']);
      await chief.get(`/api/items/${id}/workflow`);
      expect(runs).toHaveBeenCalledTimes(2);
      expect((await stored()).map((r) => r.revision)).toEqual([1, 2]);
    } finally {
      runs.mockRestore();
    }
  });
});

describe('acting on what was reviewed', () => {
  it('refuses an approval of a revision that has since changed, and tells each person their own moves', async () => {
    const id = await write(reporter);
    await act(reporter, id, 'submit');
    expect((await editor.get(`/api/items/${id}/workflow`)).body.yourActions).toEqual(['approve', 'return', 'reject']);
    expect((await reporter.get(`/api/items/${id}/workflow`)).body.yourActions).toEqual([]);
    const stale = await act(editor, id, 'approve', { revision: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('revision_changed');
    expect((await act(editor, id, 'approve', { revision: 1 })).body.level).toBe(2);
  });
});

describe('the review queue', () => {
  it('lists items waiting at the levels the caller may act at, never their own', async () => {
    const id = await write(reporter, '排队的稿件');
    await act(reporter, id, 'submit');
    const forEditor = (await editor.get('/api/review/queue')).body;
    expect(forEditor.items.find((i: { id: string }) => i.id === id)).toMatchObject({ level: 1, levelName: '初审' });
    const forReporter = (await reporter.get('/api/review/queue')).body;
    expect(forReporter.items).toHaveLength(0);
    await act(editor, id, 'approve');
    expect((await editor.get('/api/review/queue')).body.items.some((i: { id: string }) => i.id === id)).toBe(false);
    expect((await chief.get('/api/review/queue')).body.items.find((i: { id: string }) => i.id === id)?.levelName).toBe('复审');
  });
});

describe('oversight roles never act in the chain (D3)', () => {
  /** A supervisor with a membership in 锦江 itself, so that "only the item's own unit" is not what stops it. */
  async function jinjiangSupervisor() {
    const jinjiang = (await server.db.selectFrom('units').select('id').where('division_code', '=', '510104').executeTakeFirstOrThrow()).id;
    const user = (await server.db.selectFrom('users').select('id').where('username', '=', 'supervisor').executeTakeFirstOrThrow()).id;
    await server.db.insertInto('memberships').values({ unit_id: jinjiang, user_id: user, role: 'supervisor' }).onConflict((oc) => oc.doNothing()).execute();
    const c = await server.as('supervisor');
    expect((await c.put('/api/session/unit', { unitId: jinjiang })).body.role).toBe('supervisor');
    return { c, jinjiang };
  }

  it('the policy refuses supervisor and alliance_admin in a level, with a clear message, and keeps the old policy', async () => {
    const before = (await leader.get('/api/review/policy')).body;
    for (const role of ['supervisor', 'alliance_admin']) {
      const res = await leader.put('/api/review/policy', {
        levels: [
          { name: '初审', roles: ['editor'] },
          { name: '终审', roles: ['unit_admin', role] },
        ],
        editReturnsTo: 'first',
      });
      expect(res.status, role).toBe(400);
      expect(res.body.code).toBe('oversight_in_chain');
      expect(res.body.detail).toContain('终审');
      expect(res.body.detail).toContain('监管');
    }
    expect((await leader.get('/api/review/policy')).body).toEqual(before);
    // Another county's admin writes its own policy, never 锦江's.
    const qingyangUnit = (await server.db.selectFrom('units').select('id').where('division_code', '=', '510105').executeTakeFirstOrThrow()).id;
    const qingyangAdmin = await server.as('qingyang_admin');
    expect((await qingyangAdmin.put('/api/review/policy', { levels: [{ name: '终审', roles: ['supervisor'] }], editReturnsTo: 'first' })).status).toBe(400);
    expect(await server.db.selectFrom('review_policies').select('unit_id').where('unit_id', '=', qingyangUnit).executeTakeFirst()).toBeUndefined();
  });

  it('a supervisor cannot approve or sign off even when an old policy row names the role', async () => {
    const { c: supervisor, jinjiang } = await jinjiangSupervisor();
    const legacy = [
      { name: '初审', roles: ['editor', 'supervisor'] },
      { name: '终审', roles: ['unit_admin', 'supervisor', 'alliance_admin'] },
    ];
    await server.db
      .insertInto('review_policies')
      .values({ unit_id: jinjiang, levels: JSON.stringify(legacy), edit_returns_to: 'first', updated_by: null })
      .onConflict((oc) => oc.column('unit_id').doUpdateSet({ levels: JSON.stringify(legacy) }))
      .execute();
    try {
      const id = await write(reporter, '监管不得审核');
      await act(reporter, id, 'submit');
      const first = await act(supervisor, id, 'approve');
      expect(first.status).toBe(403);
      expect(first.body.detail).toContain('监管');
      expect((await act(editor, id, 'approve')).body.level).toBe(2);
      expect((await act(supervisor, id, 'approve')).status).toBe(403);
      expect((await status(id)).status).toBe('in_review');
      // Nor does the queue offer it work.
      const queue = await supervisor.get('/api/review/queue');
      expect(queue.status).toBe(200);
      expect(queue.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    } finally {
      await server.db.deleteFrom('review_policies').where('unit_id', '=', jinjiang).execute();
      await server.db.deleteFrom('memberships').where('unit_id', '=', jinjiang).where('role', '=', 'supervisor').execute();
    }
  });
});
