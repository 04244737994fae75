// The nlp module's service surface: pure functions over Chinese text, no database, no platform.
// Other modules import from here only.
export { toSimplified, toHalfWidth, normalizeText } from './normalize.ts';
export { tokenize, searchTerms, posTag } from './segment.ts';
export type { TaggedWord } from './segment.ts';
export { stopWords, functionStopWords, isStopWord } from './stopwords.ts';
export { keywords } from './keywords.ts';
export type { Keyword } from './keywords.ts';
export { entities } from './entities.ts';
export type { Entities, NamedEntity, PlaceEntity, PlaceName } from './entities.ts';
export { sichuanPlaceNames, shortPlaceName } from './sichuan-places.ts';
export type { GazetteerPlace } from './sichuan-places.ts';
export { splitSentences } from './sentences.ts';
export { summarize } from './summary.ts';
export type { SummaryOptions } from './summary.ts';
export { NaiveBayesClassifier } from './classifier.ts';
export type { LabelledText, LabelProbability, NaiveBayesModelJson } from './classifier.ts';
export { simhash, simhashBigInt, hammingDistance, isNearDuplicate } from './simhash.ts';
export type { Fingerprint } from './simhash.ts';
