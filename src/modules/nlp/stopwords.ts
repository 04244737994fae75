// Stop words: the ISO list of Chinese function words (data/stopwords-zh.txt, MIT) and our own
// newsroom filler (data/stopwords-newsroom.txt). Read from disk once, on first use.
import { readFileSync } from 'node:fs';

let functionWords: ReadonlySet<string> | undefined;
let allStopWords: ReadonlySet<string> | undefined;

function readList(fileName: string): string[] {
  const text = readFileSync(new URL(`./data/${fileName}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Chinese function words (的, 了, 我们, 因此 …): safe to drop even from a search index. */
export function functionStopWords(): ReadonlySet<string> {
  functionWords ??= new Set(readList('stopwords-zh.txt'));
  return functionWords;
}

/** Function words plus newsroom filler (记者, 表示, 近日 …): what carries no topic in a news story. */
export function stopWords(): ReadonlySet<string> {
  allStopWords ??= new Set([...functionStopWords(), ...readList('stopwords-newsroom.txt')]);
  return allStopWords;
}

export function isStopWord(word: string): boolean {
  return stopWords().has(word);
}
