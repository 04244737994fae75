// The shape every automatic check (智能审核) returns. Structurally compatible with the newsroom's
// `Finding` (src/modules/newsroom/tables.ts): the extra fields are optional, so a checks Finding can
// be stored and shown wherever the newsroom expects one.

export type Severity = 'block' | 'review' | 'info';

export interface Finding {
  /** Which check produced it, e.g. `wording`, `typo`, `ai-label.undeclared`. */
  rule: string;
  severity: Severity;
  /** For the editor, in Chinese: what is wrong and what to do. */
  message: string;
  /** UTF-16 offsets into the checked text (`text.slice(start, end)` is the flagged span). */
  start?: number;
  end?: number;
  /** Replacement for the flagged span, when there is one. */
  suggestion?: string;
  /** Why it was reported, in Chinese (the lexicon's tier, the evasion seen, the context rule that held). */
  reason?: string;
  /** 0–1, for checks that guess (typos); absent when the rule is certain. */
  confidence?: number;
}
