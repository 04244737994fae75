import { Type } from 'typebox';
import type { Db } from '../../platform/db/database.ts';
import { type ChannelAdapter, DeliveryError, type DeliveryRequest, type DeliveryResult, type PrintStory } from '../distribution/contract.ts';
import { printFormats } from './layout/page-spec.ts';
import * as repo from './print.repo.ts';
import type { PageFlag } from './print.tables.ts';

/**
 * 报纸 channel: delivering a story puts it in the unit's print pool (稿池), where editors choose the
 * stories of an edition; an update replaces the pooled wording; a retraction takes it out of the pool
 * and flags every page that already carries it, so it is changed before the page goes to press.
 * Everything happens in our own database, so a repeated delivery is recognised by its idempotency key.
 */
export const printSettings = {
  config: Type.Object(
    {
      format: Type.Optional(Type.Enum(printFormats, { description: '默认版式 / default page format' })),
      paperName: Type.Optional(Type.String({ maxLength: 60, description: '报名 / the paper’s name' })),
    },
    { additionalProperties: false },
  ),
  secrets: Type.Object({}, { additionalProperties: false }),
};

export function printAdapter(db: Db): ChannelAdapter {
  return {
    kind: 'print',
    supports: { update: true, retract: true },
    settings: printSettings,
    async deliver(req) {
      if (req.action === 'retract') return retract(db, req);
      const story = storyOf(req);
      const entry = { title: story.headline, story, revision: req.source?.revision ?? null, coverAssetId: req.source?.coverAssetId ?? req.rendition.cover?.assetId ?? null };
      if (req.action === 'update' && req.remote && (await repo.updatePool(db, req.channel.unitId, req.remote.id, entry))) {
        return { remoteId: req.remote.id, remoteUrl: null };
      }
      const id = await repo.upsertPool(db, { ...entry, unitId: req.channel.unitId, channelId: req.channel.id, itemId: req.source?.itemId ?? null, idempotencyKey: req.idempotencyKey });
      return { remoteId: id, remoteUrl: null };
    },
    async reconcile(req): Promise<DeliveryResult | null> {
      const row = await repo.findPoolByKey(db, req.idempotencyKey);
      if (req.action === 'retract') {
        // A retraction landed when the entry it names is gone from the pool.
        const still = req.remote ? (await repo.findPool(db, req.channel.unitId, [req.remote.id])).length > 0 : false;
        return still ? null : { remoteId: req.remote?.id ?? req.idempotencyKey, remoteUrl: null };
      }
      return row && row.unit_id === req.channel.unitId ? { remoteId: row.id, remoteUrl: null } : null;
    },
  };
}

/** The print rendition's story; a rendition made before it carried one is read from its plain text. */
function storyOf(req: DeliveryRequest): PrintStory {
  if (req.rendition.print) return req.rendition.print;
  const text = req.rendition.text ?? req.rendition.summary;
  if (!text.trim()) throw new DeliveryError('rejected', '报纸版本没有正文 / the print rendition has no text');
  return {
    headline: req.rendition.title,
    deck: null,
    byline: null,
    paragraphs: text.split(/\n\s*\n/).map((t) => ({ kind: 'body' as const, text: t.trim() })).filter((p) => p.text),
    images: [],
    labels: req.rendition.aiLabel ? [req.rendition.aiLabel] : [],
    credits: [],
  };
}

async function retract(db: Db, req: DeliveryRequest): Promise<DeliveryResult> {
  const unitId = req.channel.unitId;
  const poolId = req.remote?.id ?? null;
  return db.transaction().execute(async (trx) => {
    const gone = poolId ? await repo.deletePool(trx, unitId, poolId) : undefined;
    const itemId = gone?.item_id ?? req.source?.itemId ?? null;
    if (poolId || itemId) {
      const at = new Date().toISOString();
      for (const page of await repo.pagesCarrying(trx, unitId, poolId ?? '', itemId)) {
        if (page.flags.some((f) => f.storyId === (poolId ?? itemId))) continue;
        const flag: PageFlag = { storyId: poolId ?? itemId!, itemId, title: gone?.title ?? req.rendition.title, reason: 'retracted', at };
        await repo.setFlags(trx, unitId, page.id, [...page.flags, flag]);
      }
    }
    return { remoteId: poolId ?? req.idempotencyKey, remoteUrl: null };
  });
}
