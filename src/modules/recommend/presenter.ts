import type { Selectable } from 'kysely';
import { articlePath } from '../portal/urls.ts';
import type { Scored } from './rank.ts';
import type { reasonKinds } from './schema.ts';
import type { RecommendTables } from './tables.ts';

export function presentItem(siteSlug: string, s: Pick<Scored, 'item' | 'reason'> & { reasonKind: (typeof reasonKinds)[number] }) {
  return {
    itemId: s.item.itemId,
    title: s.item.title,
    category: s.item.category,
    publishedAt: new Date(s.item.publishedAt).toISOString(),
    url: articlePath(siteSlug, s.item.itemId),
    reason: s.reason,
    reasonKind: s.reasonKind,
  };
}

type PinRow = Selectable<RecommendTables['rec_pins']>;

export function presentPin(p: PinRow) {
  return {
    unitId: p.unit_id,
    itemId: p.item_id,
    slot: p.slot,
    note: p.note,
    createdAt: new Date(p.created_at).toISOString(),
    expiresAt: p.expires_at ? new Date(p.expires_at).toISOString() : null,
  };
}
