// Multinomial Naive Bayes text classifier (朴素贝叶斯分类): small, explainable, and trainable from
// the few hundred labelled items one unit has. Its model is plain JSON so the hub can store it.
import { isTopicWord } from './keywords.ts';
import { tokenize } from './segment.ts';

export interface LabelledText {
  text: string;
  label: string;
}

export interface LabelProbability {
  label: string;
  probability: number;
}

/** The stored form of a model. Token counts are kept as objects for JSON, read back into Maps. */
export interface NaiveBayesModelJson {
  format: 'tianfu-naive-bayes/1';
  labels: Array<{ label: string; documents: number; tokens: number; counts: Record<string, number> }>;
}

interface LabelStats {
  documents: number;
  tokens: number;
  counts: Map<string, number>;
}

/** The words a classifier looks at: topic words only, so 的/记者/2023 do not drown the signal. */
export function classifierFeatures(text: string): string[] {
  return tokenize(text).filter(isTopicWord);
}

export class NaiveBayesClassifier {
  // Maps, not objects: a token such as "__proto__" or "constructor" must be an ordinary key.
  private readonly labels = new Map<string, LabelStats>();
  private readonly vocabulary = new Set<string>();

  /** Adds examples to the model; call again later with more to keep learning. */
  train(examples: Iterable<LabelledText>): this {
    for (const { text, label } of examples) this.learnTokens(label, classifierFeatures(text));
    return this;
  }

  learnTokens(label: string, tokens: readonly string[]): this {
    let stats = this.labels.get(label);
    if (stats === undefined) {
      stats = { documents: 0, tokens: 0, counts: new Map() };
      this.labels.set(label, stats);
    }
    stats.documents++;
    for (const token of tokens) {
      stats.counts.set(token, (stats.counts.get(token) ?? 0) + 1);
      stats.tokens++;
      this.vocabulary.add(token);
    }
    return this;
  }

  get labelNames(): string[] {
    return [...this.labels.keys()];
  }

  /** Every known label with its probability for `text`, most likely first. Empty before training. */
  predict(text: string): LabelProbability[] {
    return this.predictTokens(classifierFeatures(text));
  }

  predictTokens(tokens: readonly string[]): LabelProbability[] {
    let totalDocuments = 0;
    for (const stats of this.labels.values()) totalDocuments += stats.documents;
    if (totalDocuments === 0) return [];
    const vocabularySize = this.vocabulary.size;
    // Log space, because a product of hundreds of small probabilities underflows to 0.
    // Laplace (+1) smoothing, so one unseen word does not rule a label out.
    const logScores = [...this.labels].map(([label, stats]) => {
      let score = Math.log(stats.documents / totalDocuments);
      const denominator = Math.log(stats.tokens + vocabularySize);
      for (const token of tokens) {
        if (!this.vocabulary.has(token)) continue; // a word no label has seen says nothing
        score += Math.log((stats.counts.get(token) ?? 0) + 1) - denominator;
      }
      return { label, score };
    });
    // Softmax, shifted by the best score so exp() stays in range.
    const best = Math.max(...logScores.map((s) => s.score));
    const exps = logScores.map(({ label, score }) => ({ label, weight: Math.exp(score - best) }));
    const total = exps.reduce((sum, e) => sum + e.weight, 0);
    return exps.map(({ label, weight }) => ({ label, probability: weight / total })).sort((a, b) => b.probability - a.probability);
  }

  toJSON(): NaiveBayesModelJson {
    return {
      format: 'tianfu-naive-bayes/1',
      labels: [...this.labels].map(([label, stats]) => ({
        label,
        documents: stats.documents,
        tokens: stats.tokens,
        counts: Object.fromEntries(stats.counts),
      })),
    };
  }

  /** Rebuilds a classifier from `toJSON()` output (or its JSON text); throws on anything else. */
  static fromJSON(json: NaiveBayesModelJson | string): NaiveBayesClassifier {
    const model: unknown = typeof json === 'string' ? JSON.parse(json) : json;
    if (!isModelJson(model)) throw new TypeError('Not a tianfu-naive-bayes/1 model');
    const classifier = new NaiveBayesClassifier();
    for (const { label, documents, tokens, counts } of model.labels) {
      const countMap = new Map(Object.entries(counts));
      classifier.labels.set(label, { documents, tokens, counts: countMap });
      for (const token of countMap.keys()) classifier.vocabulary.add(token);
    }
    return classifier;
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isModelJson(value: unknown): value is NaiveBayesModelJson {
  if (typeof value !== 'object' || value === null) return false;
  const model = value as { format?: unknown; labels?: unknown };
  if (model.format !== 'tianfu-naive-bayes/1' || !Array.isArray(model.labels)) return false;
  return model.labels.every((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return false;
    const { label, documents, tokens, counts } = entry as Record<string, unknown>;
    return (
      typeof label === 'string' &&
      isCount(documents) &&
      isCount(tokens) &&
      typeof counts === 'object' &&
      counts !== null &&
      Object.values(counts).every(isCount)
    );
  });
}
