// The typo checker's language model: how likely a short stretch of text is, so that a substitution
// can be judged by how much better the text reads with it.
// - Word unigrams: jieba's dictionary counts (about 60M words of general Chinese, shipped inside
//   @node-rs/jieba under MIT). Every install has them, so the checker works from the first story.
// - Word bigrams, optional: learned from the alliance's own published stories (`learnBigrams`), which
//   are in-domain and grow with the hub; they add the context that tells 向法院起诉 from 长江发源于.
// A stretch scores as its best segmentation (Viterbi over dictionary words), which keeps the model
// honest about splits: 按|装 costs two rare single-character events, 安装 one common word.

export interface BigramCounts {
  /** "前词\t后词" → count. */
  pairs: Map<string, number>;
  /** word → count as the first of a pair. */
  firsts: Map<string, number>;
}

export interface Scored {
  logProb: number;
  /** Word boundaries of the best segmentation, relative to the stretch, 0 and length included. */
  cuts: number[];
}

const MAX_WORD = 6;
// Unknown single characters still occur (names, rare words): half a count, not impossible.
const UNKNOWN_CHAR_COUNT = 0.5;
// Weight of the bigram estimate against the unigram in the interpolated P(word | previous).
const BIGRAM_WEIGHT = 0.6;
// A pair seen fewer times than this in the archive is noise, not evidence.
const MIN_PAIR_COUNT = 2;

export class WordModel {
  private readonly logTotal: number;

  constructor(
    private readonly count: (word: string) => number,
    total: number,
    private readonly bigrams?: BigramCounts,
  ) {
    this.logTotal = Math.log(total);
  }

  /** log P(word) for a dictionary word or any single character; undefined for unknown longer strings. */
  /** Whether word pairs were learned, i.e. the model can weigh context. */
  get hasContext(): boolean {
    return this.bigrams !== undefined;
  }

  unigram(word: string): number | undefined {
    const n = this.count(word);
    if (n > 0) return Math.log(n) - this.logTotal;
    return word.length === 1 ? Math.log(UNKNOWN_CHAR_COUNT) - this.logTotal : undefined;
  }

  private conditional(previous: string | undefined, word: string, unigram: number): number {
    if (!this.bigrams || previous === undefined) return unigram;
    const first = this.bigrams.firsts.get(previous) ?? 0;
    const pair = this.bigrams.pairs.get(`${previous}\t${word}`) ?? 0;
    if (first === 0 || pair < MIN_PAIR_COUNT) return Math.log(1 - BIGRAM_WEIGHT) + unigram;
    return Math.log(BIGRAM_WEIGHT * (pair / first) + (1 - BIGRAM_WEIGHT) * Math.exp(unigram));
  }

  /**
   * Best segmentation of `text` that keeps every boundary in `fixed` (offsets into text), scored as
   * words in sequence; `left` and `right` are the words just outside, for bigram context.
   */
  score(text: string, fixed: ReadonlySet<number>, left?: string, right?: string): Scored {
    const n = text.length;
    const best = new Float64Array(n + 1).fill(Number.NEGATIVE_INFINITY);
    const back = new Int32Array(n + 1);
    best[0] = 0;
    for (let end = 1; end <= n; end++) {
      for (let start = end - 1; start >= Math.max(0, end - MAX_WORD); start--) {
        if (best[start] === Number.NEGATIVE_INFINITY) continue;
        const p = this.unigram(text.slice(start, end));
        if (p !== undefined && best[start] + p > best[end]) {
          best[end] = best[start] + p;
          back[end] = start;
        }
        // A kept boundary may not lie inside a word: longer words would cross it.
        if (fixed.has(start)) break;
      }
    }
    const cuts = [n];
    for (let at = n; at > 0; at = back[at]) cuts.push(back[at]);
    cuts.reverse();
    if (!this.bigrams) return { logProb: best[n], cuts };
    let logProb = 0;
    let previous = left;
    for (let k = 1; k < cuts.length; k++) {
      const word = text.slice(cuts[k - 1], cuts[k]);
      logProb += this.conditional(previous, word, this.unigram(word) ?? 0);
      previous = word;
    }
    if (right !== undefined) {
      const u = this.unigram(right) ?? 0;
      logProb += this.conditional(previous, right, u) - u;
    }
    return { logProb, cuts };
  }
}

/** Word-pair counts over segmented stories (each story a list of words in reading order). */
export function learnBigrams(stories: Iterable<readonly string[]>): BigramCounts {
  const pairs = new Map<string, number>();
  const firsts = new Map<string, number>();
  for (const words of stories) {
    for (let k = 1; k < words.length; k++) {
      const key = `${words[k - 1]}\t${words[k]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
      firsts.set(words[k - 1], (firsts.get(words[k - 1]) ?? 0) + 1);
    }
  }
  return { pairs, firsts };
}
