import type { Static } from 'typebox';
import type { RoleSchema, UnitKindSchema, UnitSchema } from '../../../src/modules/alliance/schema.ts';
import type { AssetSchema } from '../../../src/modules/content/assets/assets.schema.ts';
import type { DiffSchema, ItemSchema, ItemStatusSchema, ItemSummarySchema, ItemTypeSchema, ProvenanceSchema, RevisionSchema, ShareScopeSchema, UpdateItemBody, ContributorSchema, RelaySchema, WorkingCopySchema } from '../../../src/modules/content/schema.ts';
import type { SavedQuerySchema, SavedSearchSchema, SearchResultSchema } from '../../../src/modules/content/search/search.schema.ts';
import type { AuditEntrySchema, InvitationSchema, MembershipSchema, SecurityPolicySchema, SecurityStateSchema, SessionSchema, TokenSchema, UserSchema } from '../../../src/modules/identity/schema.ts';

/**
 * The shapes the API answers with, read from the server's TypeBox schemas (src/modules/<module>/schema.ts) so the
 * console cannot drift from them. Type imports only: no server code reaches the bundle. The lists below are the
 * values the console offers in its pickers.
 */

export const roles = ['reporter', 'editor', 'chief_editor', 'unit_admin', 'supervisor', 'alliance_admin'] as const satisfies readonly Role[];
export type Role = Static<typeof RoleSchema>;

export const unitKinds = ['province', 'founder', 'city', 'county', 'zone', 'department'] as const satisfies readonly UnitKind[];
export type UnitKind = Static<typeof UnitKindSchema>;

export type Unit = Static<typeof UnitSchema>;

export type Membership = Static<typeof MembershipSchema>;

export type User = Static<typeof UserSchema>;

/** 邀请加入单位: an offer of a role in a unit, which only the invited person accepts. */
export type Invitation = Static<typeof InvitationSchema>;

/** What the sign-in rules ask of the person now (GET /api/session). */
export type SecurityState = Static<typeof SecurityStateSchema>;

export type Session = Static<typeof SessionSchema>;

/** What the console offers in the active unit, as the server's rulebook decides (src/policies). */
export type Abilities = Session['can'];

export type SecurityPolicy = Static<typeof SecurityPolicySchema>;

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

export type AuditEntry = Static<typeof AuditEntrySchema>;

export type ApiToken = Static<typeof TokenSchema>;

export interface ListOf<T> {
  items: T[];
}

/* ── 稿库 content hub (src/modules/content/schema.ts) ─────────────────────────────────── */

export const itemTypes = ['article', 'gallery', 'video', 'audio', 'live', 'special'] as const satisfies readonly ItemType[];
export type ItemType = Static<typeof ItemTypeSchema>;

export const itemStatuses = ['incoming', 'draft', 'submitted', 'in_review', 'signed_off', 'scheduled', 'published', 'corrected', 'retracted', 'archived'] as const satisfies readonly ItemStatus[];
export type ItemStatus = Static<typeof ItemStatusSchema>;

export const shareScopes = ['unit', 'parents', 'units', 'alliance'] as const satisfies readonly ShareScope[];
export type ShareScope = Static<typeof ShareScopeSchema>;

/** A ProseMirror/TipTap JSON node as the server stores it (src/modules/content/doc.ts). */
export interface DocNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: DocNode[];
}

export type Contributor = Static<typeof ContributorSchema>;

export type Provenance = Static<typeof ProvenanceSchema>;

export type ItemSummary = Static<typeof ItemSummarySchema>;

/** The schema leaves `body` open (any stored document); the editor reads it as a document tree. */
export type Item = Omit<Static<typeof ItemSchema>, 'body'> & { body: DocNode };

/** What the editor's form saves with PATCH /api/items/:id (besides note and baseRevision). */
export type ItemFields = Required<Omit<Static<typeof UpdateItemBody>, 'note' | 'baseRevision' | 'body' | 'specialItemIds'>> & { body: DocNode };

export type Revision = Static<typeof RevisionSchema>;

export type ItemDiff = Static<typeof DiffSchema>;
export type BodyDiff = ItemDiff['body'][number];
export type DiffOp = BodyDiff['op'];


/** The 409 body of a save whose baseRevision is stale. */
/** My autosaved edits of an item, not yet a revision (GET/PUT /api/items/:id/working-copy). */
export type WorkingCopy = NonNullable<Static<typeof WorkingCopySchema>['workingCopy']>;

export interface RevisionConflict {
  currentRevision: number;
  diff: { body: BodyDiff[]; stats: ItemDiff['stats'] } | null;
}

export type Relay = Static<typeof RelaySchema>;

/* ── 媒资库 assets (POST/GET /api/assets) ──────────────────────────────── */

/** The fields the console shows; an asset picked in the editor carries no more. */
export type Asset = Pick<AssetDto, 'id' | 'kind' | 'mime' | 'caption' | 'tags' | 'width' | 'height'> & Partial<Pick<AssetDto, 'unitId' | 'unitName' | 'createdAt'>>;
type AssetDto = Static<typeof AssetSchema>;

/* ── 检索 search (GET /api/search, /api/search/saved) ─────────────────────────────────── */

export const facetNames = ['unit', 'type', 'status', 'category', 'scope', 'region'] as const;
export type FacetName = (typeof facetNames)[number];
export type SearchResult = Static<typeof SearchResultSchema>;
export type SearchHit = SearchResult['items'][number];
export type FacetValue = SearchResult['facets'][FacetName][number];
export type SearchFilters = Static<typeof SavedQuerySchema>;
export type SavedSearch = Static<typeof SavedSearchSchema>;




