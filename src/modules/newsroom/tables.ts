import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../alliance/roles.ts';
import type { ItemType } from '../content/tables.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** One level of a unit's review chain: its name and who may act at it. */
export interface ReviewLevel {
  name: string;
  roles: Role[];
  /** Content types that go straight past this level (e.g. a live link needs no 复审). */
  skipTypes?: ItemType[];
}

export interface ReviewPoliciesTable {
  unit_id: string;
  levels: Json<ReviewLevel[]>;
  edit_returns_to: 'first' | 'same' | 'draft';
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ReviewStatesTable {
  unit_id: string;
  item_id: string;
  level: Generated<number>;
  round: Generated<number>;
  signed_off_revision: number | null;
  signed_off_by: string | null;
  signed_off_at: Timestamp | null;
  publish_at: Timestamp | null;
  published_revision: number | null;
  published_at: Timestamp | null;
  correction_note: string | null;
}

export interface Finding {
  rule: string;
  severity: 'block' | 'review' | 'info';
  message: string;
  start?: number;
  end?: number;
}

export interface ItemTransitionsTable {
  unit_id: string;
  id: Generated<number>;
  item_id: string;
  action: string;
  from_status: string;
  to_status: string;
  level: number | null;
  round: number;
  revision: number;
  actor_id: string | null;
  comment: string | null;
  override_reason: string | null;
  findings: Json<Finding[]> | null;
  at: Timestamp;
}

/** The automatic checks' findings for one revision of an item (see checks.ts). */
export interface CheckResultsTable {
  unit_id: string;
  item_id: string;
  revision: number;
  findings: Json<Finding[]>;
  checked_at: Timestamp;
}

export interface TopicsTable {
  unit_id: string;
  id: Generated<string>;
  title: string;
  angle: string | null;
  channels: string[];
  resources: string | null;
  deadline: Timestamp | null;
  status: Generated<'proposed' | 'approved' | 'returned' | 'rejected' | 'done'>;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  proposed_by: string | null;
  joint: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TopicUnitsTable {
  unit_id: string;
  topic_id: string;
}

export interface TopicItemsTable {
  unit_id: string;
  topic_id: string;
  item_id: string;
  linked_by: string | null;
  linked_at: Timestamp;
}

export type TaskStatus = 'open' | 'accepted' | 'declined' | 'done' | 'cancelled';

export interface TasksTable {
  unit_id: string;
  id: Generated<string>;
  from_unit_id: string;
  topic_id: string | null;
  title: string;
  description: string | null;
  assignee_user_id: string | null;
  status: Generated<TaskStatus>;
  due_at: Timestamp | null;
  decline_reason: string | null;
  item_id: string | null;
  created_by: string | null;
  reminded_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EditLocksTable {
  unit_id: string;
  item_id: string;
  holder_id: string;
  acquired_at: Timestamp;
  expires_at: Timestamp;
}

export interface ItemCommentsTable {
  unit_id: string;
  id: Generated<string>;
  item_id: string;
  revision: number;
  anchor_from: number | null;
  anchor_to: number | null;
  quote: string | null;
  body: string;
  mentions: string[];
  author_id: string | null;
  resolved: Generated<boolean>;
  created_at: Timestamp;
}

export interface NotificationsTable {
  unit_id: string;
  id: Generated<number>;
  user_id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  read_at: Timestamp | null;
  created_at: Timestamp;
}

export interface UnitWebhooksTable {
  unit_id: string;
  id: Generated<string>;
  url: string;
  secret: string;
  events: string[];
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp;
  last_status: number | null;
  last_error: string | null;
}

export interface NewsroomTables {
  review_policies: ReviewPoliciesTable;
  review_states: ReviewStatesTable;
  item_transitions: ItemTransitionsTable;
  check_results: CheckResultsTable;
  topics: TopicsTable;
  topic_units: TopicUnitsTable;
  topic_items: TopicItemsTable;
  tasks: TasksTable;
  edit_locks: EditLocksTable;
  item_comments: ItemCommentsTable;
  notifications: NotificationsTable;
  unit_webhooks: UnitWebhooksTable;
}
