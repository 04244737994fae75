import type { Static } from 'typebox';
import type { WorkbenchEntrySchema, WorkbenchSchema } from './workbench.schema.ts';
import { REVIEW_OVERDUE_HOURS, type WorkbenchService } from './workbench.service.ts';

type Entry = Static<typeof WorkbenchEntrySchema>;
type Workbench = Awaited<ReturnType<WorkbenchService['read']>>;

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Every entry carries the same fields; each list fills the ones it has. */
const entry = (e: Partial<Entry> & Pick<Entry, 'title' | 'status'>): Entry => ({
  itemId: null,
  taskId: null,
  at: null,
  who: null,
  note: null,
  where: null,
  unitName: null,
  overdue: false,
  ...e,
});

const levelName = (w: Workbench, level: number | null) => (level ? (w.policy.levels[level - 1]?.name ?? null) : null);

export function presentWorkbench(w: Workbench, now = new Date()): Static<typeof WorkbenchSchema> {
  const { mine, review, pipeline, subtree } = w;
  return {
    unitId: w.unit.id,
    unitName: w.unit.name,
    role: w.role,
    sections: w.sections,
    today: w.today.toISOString(),
    mine: mine && {
      drafts: mine.drafts.map((i) => entry({ itemId: i.id, title: i.title, status: i.status, at: iso(i.updated_at) })),
      returned: mine.returned.map((i) =>
        entry({ itemId: i.id, title: i.title, status: i.status, at: iso(i.move?.at), who: i.move?.actor_name ?? null, note: i.move?.comment ?? null }),
      ),
      inReview: mine.inReview.map((i) => entry({ itemId: i.id, title: i.title, status: i.status, at: iso(i.updated_at), where: levelName(w, i.level) })),
      publishedToday: mine.publishedToday.map((i) => entry({ itemId: i.id, title: i.title, status: i.status, at: iso(i.published_at) })),
      tasks: mine.tasks.map((t) =>
        entry({ taskId: t.id, itemId: t.item_id, title: t.title, status: t.status, at: iso(t.due_at), overdue: !!t.due_at && t.due_at < now }),
      ),
    },
    review: review && {
      overdueHours: REVIEW_OVERDUE_HOURS,
      waiting: review.waiting.map((i) =>
        entry({ itemId: i.id, title: i.title, status: i.status, at: iso(i.waitingSince), who: i.author_name, where: levelName(w, i.level), overdue: i.overdue }),
      ),
      overdue: review.waiting.filter((i) => i.overdue).length,
      signedOffToday: review.signedOffToday.map((i) => entry({ itemId: i.id, title: i.title, status: i.status, at: iso(i.signed_off_at), who: i.signed_off_by })),
    },
    pipeline: pipeline && {
      counts: pipeline.counts,
      failedDeliveries: pipeline.failures.total,
      failures: pipeline.failures.latest.map((f) => entry({ itemId: f.itemId, title: f.title, status: 'failed', at: iso(f.at), note: f.error, where: f.channelName })),
      staff: pipeline.staff,
    },
    subtree: subtree && {
      own: subtree.own,
      children: subtree.children,
      publishedToday: subtree.publishedToday.map((i) => entry({ itemId: i.id, title: i.title, status: i.status, at: iso(i.published_at), unitName: i.unit_name })),
    },
  };
}
