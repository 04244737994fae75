import type { Db } from '../../../platform/db/database.ts';
import { NaiveBayesClassifier, type NaiveBayesModelJson } from '../../nlp/index.ts';
import * as repo from './understanding.repo.ts';

/**
 * 分类建议: a category suggested from what one unit has labelled itself. Each unit has its own
 * Naive Bayes model, stored in unit_category_models and retrained only when the unit's labelled
 * items changed (count and latest save, the table's `fingerprint`). A unit that has not labelled at
 * least MIN_PER_LABEL items in at least two categories gets no suggestion: guessing from three
 * examples would teach editors to ignore the field.
 */

export const MIN_PER_LABEL = 5;
export const MIN_LABELS = 2;
/** The newest labelled items a model learns from; older habits fade out. */
export const MAX_TRAINING_ITEMS = 3000;

export interface CategorySuggestion {
  label: string;
  probability: number;
  /** The next most likely labels, for the console's picker. */
  alternatives: { label: string; probability: number }[];
}

export interface ModelInfo {
  labels: string[];
  labelled: number;
  trainedAt: string;
}

interface Cached {
  fingerprint: string;
  classifier: NaiveBayesClassifier | null;
  info: ModelInfo;
}

export class CategoryModels {
  /** Parsed models by unit, so a burst of saves does not parse the same JSON again and again. */
  private readonly cache = new Map<string, Cached>();
  /** How many times a model was trained (tests and metrics read it). */
  trainings = 0;

  constructor(private readonly db: Db) {}

  /** The unit's current model, trained first when its labelled items changed since the last one. */
  async modelFor(unitId: string): Promise<Cached> {
    const { count, fingerprint } = await repo.labelledFingerprint(this.db, unitId);
    const cached = this.cache.get(unitId);
    if (cached?.fingerprint === fingerprint) return cached;
    const stored = await repo.findModel(this.db, unitId);
    if (stored && stored.fingerprint === fingerprint) {
      const fresh: Cached = {
        fingerprint,
        classifier: stored.model ? NaiveBayesClassifier.fromJSON(stored.model as NaiveBayesModelJson) : null,
        info: { labels: stored.labels, labelled: stored.labelled_count, trainedAt: new Date(stored.trained_at).toISOString() },
      };
      this.remember(unitId, fresh);
      return fresh;
    }
    return this.train(unitId, count, fingerprint);
  }

  private async train(unitId: string, count: number, fingerprint: string): Promise<Cached> {
    this.trainings++;
    const items = count ? await repo.labelledItems(this.db, unitId, MAX_TRAINING_ITEMS) : [];
    const perLabel = new Map<string, number>();
    for (const item of items) perLabel.set(item.category, (perLabel.get(item.category) ?? 0) + 1);
    const labels = [...perLabel].filter(([, n]) => n >= MIN_PER_LABEL).map(([label]) => label).sort();
    let classifier: NaiveBayesClassifier | null = null;
    if (labels.length >= MIN_LABELS) {
      const keep = new Set(labels);
      classifier = new NaiveBayesClassifier().train(
        items.filter((i) => keep.has(i.category)).map((i) => ({ label: i.category, text: `${i.title}\n${i.body_text}` })),
      );
    }
    await repo.saveModel(this.db, { unitId, model: classifier?.toJSON() ?? null, labels: classifier ? labels : [], labelledCount: count, fingerprint });
    const fresh: Cached = { fingerprint, classifier, info: { labels: classifier ? labels : [], labelled: count, trainedAt: new Date().toISOString() } };
    this.remember(unitId, fresh);
    return fresh;
  }

  private remember(unitId: string, entry: Cached) {
    this.cache.delete(unitId);
    this.cache.set(unitId, entry);
    // A few hundred units at most are active at once; keep the newest.
    if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value!);
  }

  async suggest(unitId: string, text: string): Promise<{ suggestion: CategorySuggestion | null; model: ModelInfo }> {
    const { classifier, info } = await this.modelFor(unitId);
    if (!classifier) return { suggestion: null, model: info };
    const ranked = classifier.predict(text);
    const [best, ...rest] = ranked;
    if (!best) return { suggestion: null, model: info };
    const round = (p: number) => Math.round(p * 1000) / 1000;
    return {
      suggestion: {
        label: best.label,
        probability: round(best.probability),
        alternatives: rest.slice(0, 3).map((r) => ({ label: r.label, probability: round(r.probability) })),
      },
      model: info,
    };
  }
}
