// Automatic screening checks (智能审核) the screening module runs: standard wording, typos, AI labels.
// Pure functions over text: no database, no tenancy; the platform side decides what to check and stores findings.
export type { Finding, Severity } from './finding.ts';
export { checkWording, parseWordingPack, starterWordingRules, WORDING_RULE } from './wording.ts';
export type { WordingRule, WordingPackError, ParsedWordingPack } from './wording.ts';
export { TypoChecker, SHIPPED_THRESHOLD, typoFindings, TYPO_RULE } from './typos.ts';
export type { TypoFinding, TypoCheckerOptions } from './typos.ts';
export { AI_LABEL_TEXT, AI_RULES, checkAiLabel, hasAiLabel, aiImplicitMetadata } from './ai-label.ts';
export type { AiLabelItem, AiMetadataOptions } from './ai-label.ts';
