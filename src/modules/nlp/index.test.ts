import { describe, expect, it } from 'vitest';
import * as nlp from './index.ts';

describe('nlp service surface', () => {
  it('exports the functions other modules use', () => {
    for (const name of ['tokenize', 'searchTerms', 'posTag', 'toSimplified', 'keywords', 'entities', 'sichuanPlaceNames', 'summarize', 'simhash', 'hammingDistance', 'isNearDuplicate'] as const) {
      expect(typeof nlp[name]).toBe('function');
    }
    expect(typeof nlp.NaiveBayesClassifier).toBe('function');
  });
});
