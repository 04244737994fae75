import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** Whether a lexicon, allow-list entry or pack applies alliance-wide (kept on the root unit) or to one unit. */
export type ScreeningScope = 'alliance' | 'unit';
export type TermSeverity = 'block' | 'review' | 'info';
export interface TermContextJson {
  near?: string[];
  window?: number;
  wholeWord?: boolean;
  except?: string[];
}

export interface ScreeningLexiconsTable {
  unit_id: string;
  id: Generated<string>;
  scope: ScreeningScope;
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

export interface ScreeningLexiconTermsTable {
  unit_id: string;
  id: Generated<string>;
  lexicon_id: string;
  term: string;
  category: string;
  severity: TermSeverity;
  /** The term's context rule (lexicon TermContext); null when every occurrence counts. */
  context: ColumnType<TermContextJson | null, string | null | undefined, string | null>;
  added_version: number;
  removed_version: number | null;
}

export interface ScreeningLexiconVersionsTable {
  unit_id: string;
  lexicon_id: string;
  version: number;
  note: string | null;
  added: number;
  removed: number;
  changed_by: string | null;
  changed_at: Timestamp;
}

export interface ScreeningAllowTermsTable {
  unit_id: string;
  id: Generated<string>;
  scope: ScreeningScope;
  term: string;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export type ProposalStatus = 'pending' | 'approved' | 'rejected';

/** 「不是问题」: an editor's request to allow a phrase in the unit, waiting for a chief editor. */
export interface ScreeningAllowProposalsTable {
  unit_id: string;
  id: Generated<string>;
  term: string;
  rule: string;
  excerpt: string | null;
  note: string | null;
  status: Generated<ProposalStatus>;
  proposed_by: string;
  proposed_at: Timestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
}

export interface ScreeningWordingPacksTable {
  unit_id: string;
  id: Generated<string>;
  scope: ScreeningScope;
  name: string;
  builtin_key: string | null;
  rules: Json<unknown>;
  version: Generated<number>;
  enabled: Generated<boolean>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ScreeningGenerationTable {
  id: number;
  generation: string;
}

export interface ScreeningAlertsTable {
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

export interface ScreeningTables {
  screening_lexicons: ScreeningLexiconsTable;
  screening_lexicon_terms: ScreeningLexiconTermsTable;
  screening_lexicon_versions: ScreeningLexiconVersionsTable;
  screening_allow_terms: ScreeningAllowTermsTable;
  screening_allow_proposals: ScreeningAllowProposalsTable;
  screening_wording_packs: ScreeningWordingPacksTable;
  screening_generation: ScreeningGenerationTable;
  screening_alerts: ScreeningAlertsTable;
}

export type LexiconRow = Selectable<ScreeningLexiconsTable>;
export type LexiconTermRow = Selectable<ScreeningLexiconTermsTable>;
export type WordingPackRow = Selectable<ScreeningWordingPacksTable>;
export type AlertRow = Selectable<ScreeningAlertsTable>;
export type ProposalRow = Selectable<ScreeningAllowProposalsTable>;
