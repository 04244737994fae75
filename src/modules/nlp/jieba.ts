// One jieba instance for the whole process, built on first use.
// Loading the ~5 MB dictionary costs about half a second, so nothing happens at import time:
// a module that imports nlp but never segments text pays nothing.
import { createRequire } from 'node:module';
import type { Jieba, TfIdf } from '@node-rs/jieba';

const require = createRequire(import.meta.url);

let jieba: Jieba | undefined;
let tfIdf: TfIdf | undefined;

function jiebaPackage(): typeof import('@node-rs/jieba') {
  return require('@node-rs/jieba') as typeof import('@node-rs/jieba');
}

/** jieba's bundled dictionary files; dict.js reads them from disk when first required. */
function bundledDictionaries(): typeof import('@node-rs/jieba/dict.js') {
  return require('@node-rs/jieba/dict.js') as typeof import('@node-rs/jieba/dict.js');
}

export function getJieba(): Jieba {
  jieba ??= jiebaPackage().Jieba.withDict(bundledDictionaries().dict);
  return jieba;
}

/** TF-IDF extractor with jieba's bundled IDF table (trained on a general Chinese corpus). */
export function getTfIdf(): TfIdf {
  tfIdf ??= jiebaPackage().TfIdf.withDict(bundledDictionaries().idf);
  return tfIdf;
}
