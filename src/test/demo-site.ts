import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { Actor } from '../policies/index.ts';
import type { AllianceService } from '../modules/alliance/service.ts';
import type { AssetService } from '../modules/content/assets/assets.service.ts';
import { DEMO_TAG } from '../modules/content/demo.ts';
import type { ContentService } from '../modules/content/service.ts';
import type { ChannelRef, DeliveryRequest, MediaLoader } from '../modules/distribution/contract.ts';
import { renderFor } from '../modules/distribution/renditions/index.ts';
import { loadRenditionSource } from '../modules/distribution/source.ts';
import { SYSTEM_USER_ID } from '../modules/identity/system.ts';
import { siteAdapters } from '../modules/portal/site.adapters.ts';
import type { SiteKind } from '../modules/portal/tables.ts';

/**
 * Puts the demo stories (src/modules/content/demo.ts) on their units' portal, app and feed, through
 * the real renditions and the site adapters, without the newsroom's sign-off: for screenshots and
 * local demos of the reader side only. Each story keeps its latest revision; the times are spread
 * over the last days so the pages read like a live site.
 */
export async function publishDemoSite(db: Db, services: { alliance: AllianceService; content: ContentService; assets: AssetService }, base: string): Promise<number> {
  const root = await services.alliance.findRoot();
  if (!root) return 0;
  const actor: Actor = { userId: SYSTEM_USER_ID, unitId: root.id, unitPath: root.path, role: 'alliance_admin' };
  const media: MediaLoader = {
    async load(assetId, variant) {
      const found = await services.assets.bytes(actor, assetId, variant);
      const chunks: Buffer[] = [];
      for await (const chunk of await services.assets.open(found.key)) chunks.push(chunk as Buffer);
      return { bytes: Buffer.concat(chunks), mime: found.mime, filename: `${assetId}.png` };
    },
  };
  const adapters = siteAdapters(db);
  const items = await db.selectFrom('content_items').select(['id', 'unit_id', 'type', 'revision']).where(sql<boolean>`${DEMO_TAG} = any(tags)`).orderBy('created_at').execute();
  const channels = new Map<string, ChannelRef>();
  const channelFor = (unitId: string, kind: SiteKind) => {
    const key = `${unitId}:${kind}`;
    if (!channels.has(key)) channels.set(key, { id: crypto.randomUUID(), unitId, kind, name: kind, config: {}, secrets: {} });
    return channels.get(key)!;
  };
  let n = 0;
  for (const [i, item] of items.entries()) {
    const source = await loadRenditionSource(db, item.id, item.revision, base);
    source.publishedAt = new Date(Date.now() - (items.length - i) * 5 * 3600_000).toISOString();
    if (item.type === 'special') source.specialItemIds = (await services.content.specialMembers(actor, item.id)).map((m) => m.id);
    for (const kind of ['portal', 'app', 'feed'] as const) {
      const channel = channelFor(item.unit_id, kind);
      const req: DeliveryRequest = {
        deliveryId: crypto.randomUUID(),
        idempotencyKey: `demo:${channel.id}:${item.id}:${source.revision}`,
        action: 'publish',
        channel,
        rendition: renderFor(kind, source),
        remote: null,
        media,
        signal: new AbortController().signal,
        source,
      };
      await adapters.find((a) => a.kind === kind)!.deliver(req);
    }
    n++;
  }
  return n;
}
