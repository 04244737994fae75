import type { Selectable } from 'kysely';
import type { PushAppsTable, PushCampaignsTable, PushSegmentsTable } from './tables.ts';

const iso = (d: Date | string) => new Date(d).toISOString();

export const presentSegment = (s: Selectable<PushSegmentsTable>) => ({
  id: s.id,
  unitId: s.unit_id,
  name: s.name,
  definition: s.definition,
  createdAt: iso(s.created_at),
  updatedAt: iso(s.updated_at),
});

export function presentCampaign(c: Selectable<PushCampaignsTable>, results?: { sent: number; opened: number; delivered: number; deliveries: { channel: string; status: string; count: number }[] }) {
  return {
    id: c.id,
    unitId: c.unit_id,
    segmentId: c.segment_id,
    definition: c.definition,
    title: c.title,
    body: c.body,
    itemId: c.item_id,
    link: c.link,
    urgent: c.urgent,
    state: c.state,
    scheduledAt: iso(c.scheduled_at),
    sentAt: c.sent_at ? iso(c.sent_at) : null,
    createdAt: iso(c.created_at),
    ...(results
      ? {
          results: {
            ...results,
            // Readers none of whose addresses took the push.
            failed: results.sent - results.delivered,
            openRate: results.delivered ? Math.round((results.opened / results.delivered) * 1000) / 1000 : 0,
            capped: c.capped,
            audience: c.audience,
          },
        }
      : {}),
  };
}

export const presentApp = (a: Pick<Selectable<PushAppsTable>, 'id' | 'unit_id' | 'kind' | 'name' | 'config' | 'created_at'>) => ({
  id: a.id,
  unitId: a.unit_id,
  kind: a.kind,
  name: a.name,
  config: a.config,
  createdAt: iso(a.created_at),
});
