/** The shapes the API answers with (the TypeBox schemas in src/modules/<module>/schema.ts on the server). */

export const roles = ['reporter', 'editor', 'chief_editor', 'unit_admin', 'supervisor', 'alliance_admin'] as const;
export type Role = (typeof roles)[number];

export const unitKinds = ['province', 'founder', 'city', 'county', 'zone', 'department'] as const;
export type UnitKind = (typeof unitKinds)[number];

export interface Unit {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  name: string;
  divisionCode: string | null;
  divisionName: string | null;
  depth: number;
  active: boolean;
  memberCount?: number;
  /** In the unit list: what the caller may do with this unit, as the server decides. */
  can?: { addChild: boolean; update: boolean };
  createdAt: string;
  updatedAt: string;
}

export interface Membership {
  unitId: string;
  unitName: string;
  unitKind: UnitKind;
  role: Role;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  active: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  memberships: Membership[];
}

/** 邀请加入单位: an offer of a role in a unit, which only the invited person accepts. */
export interface Invitation {
  id: string;
  unitId: string;
  unitName: string;
  username: string;
  role: Role;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled' | 'expired';
  invitedByName: string | null;
  createdAt: string;
  expiresAt: string;
}

/** What the sign-in rules ask of the person now (GET /api/session). */
export interface SecurityState {
  /** When set, the session may only change its password or enrol a second factor. */
  restriction: 'password_change' | 'mfa_enrolment' | null;
  passwordChangeReason: 'reset' | 'expired' | null;
  passwordExpiresAt: string | null;
  mfa: { enrolled: boolean; required: boolean; graceEndsAt: string | null; recoveryCodesLeft: number };
}

export interface Session {
  user: User;
  activeUnitId: string;
  role: Role;
  /** What the console offers in the active unit, as the server's rulebook decides (src/policies/abilities.ts). */
  can: Abilities;
  csrfToken: string;
  security: SecurityState;
}

export interface Abilities {
  createItems: boolean;
  comment: boolean;
  pickUp: boolean;
  acceptIncoming: boolean;
  previewRenditions: boolean;
  proposeTopics: boolean;
  decideTopics: boolean;
  assignTasks: boolean;
  seeSubtreeTasks: boolean;
  reviewItems: boolean;
  overrideFindings: boolean;
  setReviewChain: boolean;
  openScreening: boolean;
  manageUnitScreening: boolean;
  manageAllianceScreening: boolean;
  seeStaff: boolean;
  manageStaff: boolean;
  grantableRoles: Role[];
  readAudit: boolean;
  verifyAuditChain: boolean;
  seeChannels: boolean;
  configureChannels: boolean;
  retryDeliveries: boolean;
  seePrint: boolean;
  layoutPrint: boolean;
  seePush: boolean;
  sendPush: boolean;
  previewFeed: boolean;
}

export interface SecurityPolicy {
  passwordMaxAgeDays: number;
  mfaRoles: Role[];
  mfaGraceDays: number;
  updatedAt: string | null;
  canEdit: boolean;
}

/** GET /api/audit/verify: the audit hash chain recomputed. */
export interface AuditChainReport {
  intact: boolean;
  alg: string;
  checked: number;
  sealed: number;
  unsealed: number;
  head: { seq: number; hash: string; sealedAt: string } | null;
  anchor: { seq: number; hash: string; purged: number; at: string } | null;
  findings: { kind: string; seq: number | null; id: number | null; detail: string; detailEn: string }[];
  findingCount: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  unitId: string;
  unitName: string;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface ApiToken {
  id: string;
  unitId: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface ListOf<T> {
  items: T[];
}

/* ── 稿库 content hub (src/modules/content/schema.ts) ─────────────────────────────────── */

export const itemTypes = ['article', 'gallery', 'video', 'audio', 'live', 'special'] as const;
export type ItemType = (typeof itemTypes)[number];

export const itemStatuses = ['incoming', 'draft', 'submitted', 'in_review', 'signed_off', 'scheduled', 'published', 'corrected', 'retracted', 'archived'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export const shareScopes = ['unit', 'parents', 'units', 'alliance'] as const;
export type ShareScope = (typeof shareScopes)[number];

/** A ProseMirror/TipTap JSON node as the server stores it (src/modules/content/doc.ts). */
export interface DocNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: DocNode[];
}

export interface Contributor {
  name: string;
  role: string;
}

export interface Provenance {
  originUnitId: string;
  originUnitName: string;
  originItemId: string;
  creditLine: string | null;
}

export interface ItemSummary {
  id: string;
  unitId: string;
  unitName: string;
  type: ItemType;
  status: ItemStatus;
  title: string;
  summary: string | null;
  byline: string | null;
  tags: string[];
  category: string | null;
  regionCode: string | null;
  shareScope: ShareScope;
  coverAssetId: string | null;
  aiAssisted: boolean;
  adoptionCount: number;
  revision: number;
  provenance: Provenance | null;
  createdAt: string;
  updatedAt: string;
}

export interface Item extends ItemSummary {
  subtitle: string | null;
  body: DocNode;
  bodyHtml: string;
  contributors: Contributor[];
  source: string | null;
  creditLine: string | null;
  language: string;
  liveUrl: string | null;
  embargoUntil: string | null;
  shareUnitIds: string[];
  specialItems?: { id: string; title: string; type: ItemType }[];
  adoptions: { unitId: string; unitName: string; copyItemId: string; at: string }[];
  /** Filled by the background understanding job; its shape is read defensively (understanding.ts). */
  understanding: unknown;
  canEdit: boolean;
  canShare: boolean;
}

/** What PATCH /api/items/:id accepts besides note and baseRevision. */
export interface ItemFields {
  title: string;
  subtitle: string | null;
  summary: string | null;
  body: DocNode;
  coverAssetId: string | null;
  byline: string | null;
  contributors: Contributor[];
  source: string | null;
  creditLine: string | null;
  tags: string[];
  category: string | null;
  regionCode: string | null;
  language: string;
  liveUrl: string | null;
  embargoUntil: string | null;
  aiAssisted: boolean;
}

export interface Revision {
  number: number;
  note: string | null;
  authorId: string | null;
  authorName: string | null;
  createdAt: string;
}

export type DiffOp = 'equal' | 'insert' | 'delete' | 'change';

export interface BodyDiff {
  op: DiffOp;
  before?: string;
  after?: string;
  parts?: { op: 'equal' | 'insert' | 'delete'; text: string }[];
}

export interface ItemDiff {
  from: number;
  to: number;
  fields: { field: string; before: unknown; after: unknown }[];
  body: BodyDiff[];
  stats: { insertedChars: number; deletedChars: number };
}

/** The 409 body of a save whose baseRevision is stale. */
export interface RevisionConflict {
  currentRevision: number;
  diff: { body: BodyDiff[]; stats: ItemDiff['stats'] } | null;
}

export interface Relay {
  id: string;
  direction: 'up' | 'down';
  itemId: string;
  title: string;
  type: ItemType;
  fromUnitId: string;
  fromUnitName: string;
  sentByName: string | null;
  note: string | null;
  adoptedItemId: string | null;
  createdAt: string;
}

/* ── 媒资库 assets (being written: POST/GET /api/assets) ──────────────────────────────── */

export interface Asset {
  id: string;
  unitId?: string;
  unitName?: string;
  kind: string;
  mime: string;
  caption: string | null;
  tags: string[];
  width: number | null;
  height: number | null;
  createdAt?: string;
}

/* ── 检索 search (GET /api/search, /api/search/saved) ─────────────────────────────────── */

export const facetNames = ['unit', 'type', 'status', 'category', 'scope', 'region'] as const;
export type FacetName = (typeof facetNames)[number];
export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface SearchHit extends ItemSummary {
  /** Escaped HTML in which only <mark> is markup. */
  snippet: string;
  titleHighlight: string;
  score: number;
}

export interface SearchFilters {
  q?: string;
  unitId?: string;
  scope?: ShareScope;
  status?: ItemStatus;
  type?: ItemType;
  category?: string;
  regionCode?: string;
  from?: string;
  to?: string;
  dateField?: 'updated' | 'created';
  authorId?: string;
  sort?: 'relevance' | 'time';
}

export interface SearchResult {
  total: number;
  items: SearchHit[];
  facets: Record<FacetName, FacetValue[]>;
}

export interface SavedSearch {
  id: string;
  name: string;
  query: SearchFilters;
  createdAt: string;
}
