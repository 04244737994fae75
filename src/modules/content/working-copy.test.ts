import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type ApiClient, type TestServer } from '../../test/harness.ts';
import { docFromText } from './doc.ts';

/**
 * Autosave keeps a person's working copy and numbers nothing; a save with intent numbers the next
 * revision. A story with one round of edits used to reach review as 第 7 版.
 */
let server: TestServer;
let reporter: ApiClient; // 青羊区 reporter, writes the story
let editor: ApiClient; // 青羊区 editor, a colleague of the same unit
beforeAll(async () => {
  server = await startTestServer();
  reporter = await server.as('qingyang_reporter');
  editor = await server.as('qingyang_editor');
});
afterAll(() => server.close());

const create = async (title: string) => {
  const res = await reporter.post('/api/items', { type: 'article', title, body: docFromText('第一段。') });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const numbers = async (id: string) => ((await reporter.get(`/api/items/${id}/revisions`)).body.items as { number: number; note: string | null }[]).map((r) => r.number);

describe('working copy (autosave)', () => {
  it('autosaves number no revision, only the author sees them, and a save with intent numbers exactly one', async () => {
    const id = await create('锦城湖湿地公园开园');
    for (const text of ['第一段。第二段', '第一段。第二段写完了。', '第一段。第二段写完了。第三段。']) {
      const res = await reporter.put(`/api/items/${id}/working-copy`, { body: docFromText(text), title: '锦城湖湿地公园今天开园', baseRevision: 1 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.workingCopy.baseRevision).toBe(1);
    }
    const item = (await reporter.get(`/api/items/${id}`)).body;
    expect(item.revision).toBe(1);
    expect(item.title).toBe('锦城湖湿地公园开园'); // review, search and publication still see revision 1
    expect(await numbers(id)).toEqual([1]);
    const mine = (await reporter.get(`/api/items/${id}/working-copy`)).body.workingCopy;
    expect(mine.changes.title).toBe('锦城湖湿地公园今天开园');
    expect((await editor.get(`/api/items/${id}/working-copy`)).body.workingCopy).toBeNull();

    const saved = await reporter.patch(`/api/items/${id}`, { title: '锦城湖湿地公园今天开园', body: docFromText('第一段。第二段写完了。第三段。'), note: '改标题', baseRevision: 1 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.revision).toBe(2);
    expect(await numbers(id)).toEqual([2, 1]);
    expect((await reporter.get(`/api/items/${id}/revisions`)).body.items[0].note).toBe('改标题');
    expect((await reporter.get(`/api/items/${id}/working-copy`)).body.workingCopy).toBeNull();

    // submitting reviews revision 2, the one saved with intent
    const submitted = await reporter.post(`/api/items/${id}/workflow/submit`, {});
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect((await reporter.get(`/api/items/${id}/workflow`)).body.revision).toBe(2);
  });

  it("still refuses a save based on a revision someone else has saved over, with the diff, and writes nothing", async () => {
    const id = await create('府南河夜游线路开通');
    expect((await reporter.put(`/api/items/${id}/working-copy`, { body: docFromText('第一段。记者的修改。'), baseRevision: 1 })).status).toBe(200);
    const other = await editor.patch(`/api/items/${id}`, { body: docFromText('第一段。编辑的修改。'), note: '编辑改稿', baseRevision: 1 });
    expect(other.body.revision).toBe(2);

    for (const res of [
      await reporter.put(`/api/items/${id}/working-copy`, { body: docFromText('第一段。记者又改了。'), baseRevision: 1 }),
      await reporter.patch(`/api/items/${id}`, { body: docFromText('第一段。记者又改了。'), baseRevision: 1 }),
    ]) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('revision_conflict');
      expect(res.body.currentRevision).toBe(2);
      expect(JSON.stringify(res.body.diff)).toContain('编辑的修改');
    }
    expect(await numbers(id)).toEqual([2, 1]);
    // the reporter's own autosave is kept until they choose: discarding removes it
    expect((await reporter.get(`/api/items/${id}/working-copy`)).body.workingCopy.changes.body).toBeDefined();
    expect((await reporter.delete(`/api/items/${id}/working-copy`)).status).toBe(204);
    expect((await reporter.get(`/api/items/${id}/working-copy`)).body.workingCopy).toBeNull();
  });

  it('checks an autosave as a save: a blank title or a body that is not a document is refused, nothing kept', async () => {
    const id = await create('青羊区社区食堂开张');
    const blank = await reporter.put(`/api/items/${id}/working-copy`, { title: '   ', baseRevision: 1 });
    expect(blank.status).toBe(400);
    const bad = await reporter.put(`/api/items/${id}/working-copy`, { body: { type: 'paragraph', content: [] }, baseRevision: 1 });
    expect(bad.status).toBe(400);
    expect((await reporter.get(`/api/items/${id}/working-copy`)).body.workingCopy).toBeNull();
    // no edits at all: nothing to keep
    expect((await reporter.put(`/api/items/${id}/working-copy`, { baseRevision: 1 })).body.workingCopy).toBeNull();
  });
});
