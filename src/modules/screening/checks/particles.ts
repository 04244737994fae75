// Real-word slips among the structural particles 的/地/得 (all read "de"). Each is a correct word, so a
// dictionary never objects; what gives the slip away is the grammar around it (《现代汉语八百词》):
// - 地 links an adverbial to a verb: 高兴地说, 慢慢地走 — not 高兴的说;
// - 得 links a verb to its complement of degree: 跑得很快, 说得好 — not 跑的很快;
// - 的 links a modifier to a noun: 我的书, 美丽的风景 — not 我得书 or 美丽地风景.
// The rules read jieba's part-of-speech tags and fire only where the context is unambiguous.
import type { TaggedWord } from '../../nlp/index.ts';

export interface ParticleFix {
  /** Offset of the particle in the text. */
  at: number;
  wrong: string;
  suggestion: string;
  /** Fixed by rule: how often the pattern holds, not a model score. */
  confidence: number;
}

// Adverbials that take 地: adjectives used adverbially and descriptive (状态词) words. Plain adverbs
// (tag d) are left out: 至少的是, 不少的帮忙 read as noun phrases as often as not.
const ADVERBIAL_TAGS = new Set(['ad', 'z']);
// Verbs that head a noun phrase after 的 far more often than they are modified (深刻的是, 好的有).
const COPULAS = new Set(['是', '有', '为']);
// A complement of degree after 得 opens with one of these.
// jieba often joins the degree word to what follows (很快, 非常好), so the token's start counts.
const DEGREE_WORDS = ['很', '非常', '太', '十分', '特别', '挺', '越来越', '不太', '那么', '这么', '格外', '相当'];
const opensWithDegree = (w: string) => DEGREE_WORDS.some((d) => w.startsWith(d));
// Modifiers before 的: pronouns, nouns, adjectives (the possessive and attributive 的).
const ATTRIBUTIVE_TAGS = new Set(['r', 'n', 'nr', 'ns', 'nt', 'a']);
const RULE_CONFIDENCE = 0.9;

const isVerb = (w: TaggedWord | undefined) => w !== undefined && w.tag.startsWith('v');
// A plain verb, not a verbal noun (不好的影响: 影响 is vn) nor a copula.
const isPlainVerb = (w: TaggedWord) => w.tag === 'v' && !COPULAS.has(w.word);
const isNoun = (w: TaggedWord | undefined) => w !== undefined && (w.tag === 'n' || w.tag === 'nr' || w.tag === 'ns' || w.tag === 'nt');
// Reduplicated adverbials (慢慢, 高高兴兴) take 地 before a verb whatever their tag.
const isReduplicated = (w: string) => (w.length === 2 && w[0] === w[1]) || (w.length === 4 && w[0] === w[1] && w[2] === w[3]);

function particleFix(before: TaggedWord | undefined, particle: string, after: TaggedWord | undefined): string | undefined {
  if (!before || !after) return undefined;
  // jieba tags some reduplications oddly (高高兴兴 as a place name); kinship nouns (妈妈) are the exception.
  const adverbial = ADVERBIAL_TAGS.has(before.tag) || (isReduplicated(before.word) && before.tag !== 'n');
  if (particle === '的' && isPlainVerb(after) && before.word.length >= 2 && adverbial) return '地';
  if (particle === '的' && isVerb(before) && opensWithDegree(after.word)) return '得';
  if (particle === '得' && ATTRIBUTIVE_TAGS.has(before.tag) && !isVerb(before) && isNoun(after)) return '的';
  if (particle === '地' && before.tag === 'a' && isNoun(after)) return '的';
  return undefined;
}

/** Particle slips in tagged text; offsets are into the text the tags were taken from. */
export function particleFixes(tokens: readonly TaggedWord[]): ParticleFix[] {
  const out: ParticleFix[] = [];
  let at = 0;
  for (let k = 0; k < tokens.length; k++) {
    const word = tokens[k].word;
    if (word === '的' || word === '地' || word === '得') {
      const suggestion = particleFix(tokens[k - 1], word, tokens[k + 1]);
      if (suggestion) out.push({ at, wrong: word, suggestion, confidence: RULE_CONFIDENCE });
    }
    at += word.length;
  }
  return out;
}
