import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** Whether a lexicon, allow-list entry or pack applies alliance-wide (kept on the root unit) or to one unit. */
export type ReviewScope = 'alliance' | 'unit';
export type TermSeverity = 'block' | 'review' | 'info';

export interface ReviewLexiconsTable {
  unit_id: string;
  id: Generated<string>;
  scope: ReviewScope;
  name: string;
  description: string | null;
  builtin_key: string | null;
  version: Generated<number>;
  enabled: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ReviewLexiconTermsTable {
  unit_id: string;
  id: Generated<string>;
  lexicon_id: string;
  term: string;
  category: string;
  severity: TermSeverity;
  added_version: number;
  removed_version: number | null;
}

export interface ReviewLexiconVersionsTable {
  unit_id: string;
  lexicon_id: string;
  version: number;
  note: string | null;
  added: number;
  removed: number;
  changed_by: string | null;
  changed_at: Timestamp;
}

export interface ReviewAllowTermsTable {
  unit_id: string;
  id: Generated<string>;
  scope: ReviewScope;
  term: string;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ReviewWordingPacksTable {
  unit_id: string;
  id: Generated<string>;
  scope: ReviewScope;
  name: string;
  builtin_key: string | null;
  rules: Json<unknown>;
  version: Generated<number>;
  enabled: Generated<boolean>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ReviewGenerationTable {
  id: number;
  generation: string;
}

export interface ReviewAlertsTable {
  unit_id: string;
  id: Generated<string>;
  item_id: string;
  fingerprint: string;
  rule: string;
  severity: TermSeverity;
  message: string;
  field: 'title' | 'body';
  start_offset: number | null;
  end_offset: number | null;
  excerpt: string | null;
  status: Generated<'open' | 'resolved'>;
  created_at: Timestamp;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  resolution: string | null;
}

export interface ReviewTables {
  review_lexicons: ReviewLexiconsTable;
  review_lexicon_terms: ReviewLexiconTermsTable;
  review_lexicon_versions: ReviewLexiconVersionsTable;
  review_allow_terms: ReviewAllowTermsTable;
  review_wording_packs: ReviewWordingPacksTable;
  review_generation: ReviewGenerationTable;
  review_alerts: ReviewAlertsTable;
}

export type LexiconRow = Selectable<ReviewLexiconsTable>;
export type LexiconTermRow = Selectable<ReviewLexiconTermsTable>;
export type WordingPackRow = Selectable<ReviewWordingPacksTable>;
export type AlertRow = Selectable<ReviewAlertsTable>;
