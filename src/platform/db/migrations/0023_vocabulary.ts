import { type Kysely, sql } from 'kysely';

// One word, one meaning (docs/glossary.md): 上报/下发 are relays, not deliveries (a delivery is a
// channel's); 采用 is adopting, not picking up; an image size is a variant, not a rendition (a
// rendition is a channel's output). Data is kept; stored item HTML follows the renamed query.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table content_deliveries rename to content_relays`.execute(db);
  await sql`alter index content_deliveries_item_idx rename to content_relays_item_idx`.execute(db);
  await sql`alter table content_relays rename column kind to direction`.execute(db);
  await sql`alter table content_relays drop constraint content_deliveries_kind_check`.execute(db);
  await sql`update content_relays set direction = case direction when 'submit' then 'up' else 'down' end`.execute(db);
  await sql`alter table content_relays add constraint content_relays_direction_check check (direction in ('up','down'))`.execute(db);
  await sql`alter table content_relays rename column picked_item_id to adopted_item_id`.execute(db);

  await sql`alter table content_pickups rename to content_adoptions`.execute(db);
  await sql`alter table content_adoptions rename column picked_by_unit_id to adopted_by_unit_id`.execute(db);
  await sql`alter table content_adoptions rename column picked_by to adopted_by`.execute(db);
  await sql`alter table content_items rename column pickup_count to adoption_count`.execute(db);

  await sql`alter table assets rename column renditions to variants`.execute(db);
  await sql`alter table site_media rename column rendition to variant`.execute(db);
  await sql`update content_items set body_html = replace(body_html, '/content?rendition=', '/content?variant=') where strpos(body_html, '/content?rendition=') > 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update content_items set body_html = replace(body_html, '/content?variant=', '/content?rendition=') where strpos(body_html, '/content?variant=') > 0`.execute(db);
  await sql`alter table site_media rename column variant to rendition`.execute(db);
  await sql`alter table assets rename column variants to renditions`.execute(db);

  await sql`alter table content_items rename column adoption_count to pickup_count`.execute(db);
  await sql`alter table content_adoptions rename column adopted_by to picked_by`.execute(db);
  await sql`alter table content_adoptions rename column adopted_by_unit_id to picked_by_unit_id`.execute(db);
  await sql`alter table content_adoptions rename to content_pickups`.execute(db);

  await sql`alter table content_relays rename column adopted_item_id to picked_item_id`.execute(db);
  await sql`alter table content_relays drop constraint content_relays_direction_check`.execute(db);
  await sql`update content_relays set direction = case direction when 'up' then 'submit' else 'distribute' end`.execute(db);
  await sql`alter table content_relays add constraint content_deliveries_kind_check check (direction in ('submit','distribute'))`.execute(db);
  await sql`alter table content_relays rename column direction to kind`.execute(db);
  await sql`alter index content_relays_item_idx rename to content_deliveries_item_idx`.execute(db);
  await sql`alter table content_relays rename to content_deliveries`.execute(db);
}
