import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../database.ts';
import { migrateToLatest, migrationProvider } from '../migrate.ts';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

it('0023 carries relays, adoptions and image variants over to their new names, and down restores the old ones', async () => {
  const db = handle.db;
  const migrator = new Migrator({ db, provider: migrationProvider });
  expect((await migrator.migrateTo('0022_membership_invitations')).error).toBeUndefined();
  const [qingyang, chengdu] = await Promise.all(
    ['510105', '510100'].map((code) => db.selectFrom('units').select('id').where('division_code', '=', code).executeTakeFirstOrThrow()),
  );
  const html = '<figure><img src="/api/assets/a1/content?rendition=large"></figure>';
  const { rows } = await sql<{ id: string }>`
    insert into content_items (unit_id, type, status, title, tags, body, body_html, body_text, contributors, share_scope, pickup_count)
    values (${qingyang!.id}, 'article', 'draft', '上报的稿件', '{}', '{}', ${html}, '正文', '[]', 'unit', 1) returning id`.execute(db);
  const item = rows[0]!.id;
  await sql`insert into content_deliveries (unit_id, kind, item_id, from_unit_id, picked_item_id) values (${chengdu!.id}, 'submit', ${item}, ${qingyang!.id}, ${item})`.execute(db);
  await sql`insert into content_pickups (unit_id, item_id, picked_by_unit_id, copy_item_id) values (${qingyang!.id}, ${item}, ${chengdu!.id}, ${item})`.execute(db);
  await sql`insert into site_media (asset_id, rendition, mime, bytes, etag) values (${item}, 'large', 'image/jpeg', '\\x00', 'e')`.execute(db);

  expect((await migrator.migrateTo('0023_vocabulary')).error).toBeUndefined();
  expect(await db.selectFrom('content_relays').select(['direction', 'adopted_item_id']).where('item_id', '=', item).execute()).toEqual([{ direction: 'up', adopted_item_id: item }]);
  expect(await db.selectFrom('content_adoptions').select('adopted_by_unit_id').where('item_id', '=', item).execute()).toEqual([{ adopted_by_unit_id: chengdu!.id }]);
  const after = await db.selectFrom('content_items').select(['adoption_count', 'body_html']).where('id', '=', item).executeTakeFirstOrThrow();
  expect(after).toEqual({ adoption_count: 1, body_html: html.replace('?rendition=', '?variant=') });
  expect(await db.selectFrom('site_media').select('variant').where('asset_id', '=', item).execute()).toEqual([{ variant: 'large' }]);
  await expect(sql`insert into content_relays (unit_id, direction, item_id, from_unit_id) values (${chengdu!.id}, 'submit', ${item}, ${qingyang!.id})`.execute(db)).rejects.toThrow();

  expect((await migrator.migrateTo('0022_membership_invitations')).error).toBeUndefined();
  const old = await sql<{ kind: string; picked_item_id: string; pickup_count: number; body_html: string; rendition: string }>`
    select d.kind, d.picked_item_id, i.pickup_count, i.body_html, m.rendition
    from content_deliveries d join content_items i on i.id = d.item_id join content_pickups p on p.item_id = i.id
    join site_media m on m.asset_id = i.id where i.id = ${item}`.execute(db);
  expect(old.rows).toEqual([{ kind: 'submit', picked_item_id: item, pickup_count: 1, body_html: html, rendition: 'large' }]);
  expect(await migrateToLatest(db)).toContain('0023_vocabulary');
});
