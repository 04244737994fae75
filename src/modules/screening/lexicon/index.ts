// The lexicon engine (敏感词引擎): the review module's only entry point to it.
export type { Category, EngineOptions, HomophoneScope, LexiconMatch, LexiconTerm, ParseError, ParseResult, Severity, TermContext } from './types.ts';
export { CATEGORIES, DEFAULT_NEAR_WINDOW, HOMOPHONE_SCOPES, MAX_TERM_CHARS, SEVERITIES } from './types.ts';
export { LexiconEngine, MAX_GAP, MAX_GAP_LIMIT } from './engine.ts';
export { parseHoubbLexicon, parseLexiconCsv, parseLexiconText, toCsv, toText } from './parse.ts';
export { loadHoubbLexicon } from './houbb.ts';
