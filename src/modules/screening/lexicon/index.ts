// The lexicon engine (敏感词引擎): the review module's only entry point to it.
export type { Category, EngineOptions, LexiconMatch, LexiconTerm, ParseError, ParseResult, Severity } from './types.ts';
export { CATEGORIES, MAX_TERM_CHARS, SEVERITIES } from './types.ts';
export { LexiconEngine, MAX_GAP } from './engine.ts';
export { parseHoubbLexicon, parseLexiconCsv, parseLexiconText, toCsv, toText } from './parse.ts';
export { loadHoubbLexicon } from './houbb.ts';
