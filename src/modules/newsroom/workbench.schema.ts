import { Type, type TSchema } from 'typebox';
import { DateTime, Uuid } from '../../platform/http/schemas.ts';
import { RoleSchema } from '../alliance/schema.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

/** One line of a 工作台 list: a story (opens /items/:id) or a task (opens /tasks/:id, or its story). */
export const WorkbenchEntrySchema = Type.Object({
  itemId: Nullable(Uuid),
  taskId: Nullable(Uuid),
  title: Type.String(),
  /** The item's status, or the task's. */
  status: Type.String(),
  /** When it got where it is: last move, sign-off, publication, a task's due date. */
  at: Nullable(DateTime),
  /** Who made that move (the reviewer who returned it, the signer …). */
  who: Nullable(Type.String()),
  /** Why: the return comment, a delivery's error. */
  note: Nullable(Type.String()),
  /** The review level's name (初审 …) or the channel's name. */
  where: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  overdue: Type.Boolean(),
});

const Entries = Type.Array(WorkbenchEntrySchema);

export const WorkbenchSchema = Type.Object({
  unitId: Uuid,
  unitName: Type.String(),
  role: RoleSchema,
  sections: Type.Array(Type.Enum(['mine', 'review', 'pipeline', 'subtree'])),
  /** Midnight in China: what "today" counts from. */
  today: DateTime,
  mine: Nullable(Type.Object({ drafts: Entries, returned: Entries, inReview: Entries, publishedToday: Entries, tasks: Entries })),
  review: Nullable(
    Type.Object({
      overdueHours: Type.Integer({ description: '等待超过此小时数即为超时 / waiting longer than this counts as overdue' }),
      waiting: Entries,
      overdue: Count,
      signedOffToday: Entries,
    }),
  ),
  pipeline: Nullable(
    Type.Object({
      counts: Type.Object({ draft: Count, submitted: Count, inReview: Count, signedOff: Count, publishedToday: Count }),
      failedDeliveries: Count,
      failures: Entries,
      staff: Count,
    }),
  ),
  subtree: Nullable(
    Type.Object({
      own: Type.Object({ inReview: Count, publishedToday: Count }),
      children: Type.Array(Type.Object({ unitId: Uuid, name: Type.String(), inReview: Count, publishedToday: Count })),
      publishedToday: Entries,
    }),
  ),
});
