import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.ts';
import { DEMO_SOURCE, DEMO_TAG, seedDemoContent } from './demo.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const demoItems = () =>
  server.db
    .selectFrom('content_items as i')
    .innerJoin('units as u', 'u.id', 'i.unit_id')
    .select(['i.id', 'i.title', 'i.type', 'i.share_scope', 'i.origin_unit_id', 'i.source', 'i.tags', 'i.cover_asset_id', 'u.name as unit_name'])
    .where('i.source', '=', DEMO_SOURCE)
    .execute();

describe('demo content', () => {
  it('seeds the sample stories once: a second run changes nothing', async () => {
    const first = await seedDemoContent(server.services);
    expect(first.skipped).toBe(false);
    const after = await demoItems();
    expect(after.length).toBe(first.created); // the stories, the special topic, and the picked-up copy
    expect(after.length).toBeGreaterThanOrEqual(12);
    // five title cards, drawn with sharp, when the asset library is wired in
    expect(first.assets).toBe('assets' in server.services ? 5 : 0);
    if (first.assets) expect(after.filter((i) => i.cover_asset_id).length).toBeGreaterThanOrEqual(5);
    expect(after.every((i) => i.tags.includes(DEMO_TAG))).toBe(true);
    expect(new Set(after.map((i) => i.unit_name))).toEqual(new Set(['青羊区融媒体中心', '锦江区融媒体中心', '成都市', '四川日报报业集团', '昭觉县融媒体中心']));
    expect(after.filter((i) => i.share_scope === 'alliance').length).toBeGreaterThanOrEqual(3);
    expect(after.filter((i) => i.type === 'special')).toHaveLength(1);

    const copy = after.find((i) => i.origin_unit_id !== null);
    expect(copy?.unit_name).toBe('锦江区融媒体中心');

    const again = await seedDemoContent(server.services);
    expect(again).toEqual({ created: 0, assets: 0, skipped: true });
    expect((await demoItems()).length).toBe(after.length);
  }, 120_000);

  it('shows the picked-up copy with its provenance through the API', async () => {
    const jinjiang = await server.as('jinjiang_reporter');
    const list = await jinjiang.get('/api/items?view=unit&limit=100');
    const copy = list.body.items.find((i: { provenance: unknown }) => i.provenance);
    expect(copy.provenance.originUnitName).toBe('青羊区融媒体中心');
    // The demo stories are drafts: shared ones reach the pool only once signed off, never before.
    const shared = await jinjiang.get('/api/items?view=shared&limit=100');
    expect(shared.body.items.filter((i: { status: string }) => i.status === 'draft')).toEqual([]);
  });
});
