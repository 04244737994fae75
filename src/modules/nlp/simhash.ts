// SimHash (局部敏感哈希) fingerprints for near-duplicate detection: the same story re-sent by another
// unit with a changed headline or a fixed typo lands within a few bits of the original.
import { isTopicWord } from './keywords.ts';
import { tokenize } from './segment.ts';

export type Fingerprint = string | bigint;

const FNV_OFFSET_BASIS_64 = 0xcbf29ce484222325n;
const FNV_PRIME_64 = 0x100000001b3n;
const BITS = 64;
const encoder = new TextEncoder();

/** FNV-1a, 64 bits, over the UTF-8 bytes of `text`. */
export function fnv1a64(text: string): bigint {
  let hash = FNV_OFFSET_BASIS_64;
  for (const byte of encoder.encode(text)) {
    hash ^= BigInt(byte);
    hash = BigInt.asUintN(64, hash * FNV_PRIME_64);
  }
  return hash;
}

/** SimHash of weighted features: each feature's hash votes on every bit, by its weight. */
export function simhashOfWeights(weights: Iterable<readonly [string, number]>): bigint {
  const votes = new Float64Array(BITS);
  for (const [feature, weight] of weights) {
    const hash = fnv1a64(feature);
    // Two 32-bit halves, so the per-bit loop runs on plain numbers instead of BigInts.
    const low = Number(hash & 0xffffffffn);
    const high = Number(hash >> 32n);
    for (let bit = 0; bit < 32; bit++) {
      votes[bit] = (votes[bit] ?? 0) + ((low >>> bit) & 1 ? weight : -weight);
      votes[bit + 32] = (votes[bit + 32] ?? 0) + ((high >>> bit) & 1 ? weight : -weight);
    }
  }
  let fingerprint = 0n;
  for (let bit = 0; bit < BITS; bit++) if ((votes[bit] ?? 0) > 0) fingerprint |= 1n << BigInt(bit);
  return fingerprint;
}

/** Term frequencies of the story's topic words (function words and filler would make all stories alike). */
function termFrequencies(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokenize(text)) if (isTopicWord(token)) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** 64-bit SimHash of `text` as a bigint (store it in a PostgreSQL bigint with BigInt.asIntN(64, …)). */
export function simhashBigInt(text: string): bigint {
  return simhashOfWeights(termFrequencies(text));
}

/** 64-bit SimHash of `text` as 16 lower-case hex digits. */
export function simhash(text: string): string {
  return simhashBigInt(text).toString(16).padStart(16, '0');
}

function toBigInt(fingerprint: Fingerprint): bigint {
  if (typeof fingerprint === 'bigint') return BigInt.asUintN(64, fingerprint);
  if (!/^[0-9a-f]{1,16}$/i.test(fingerprint)) throw new TypeError(`Not a 64-bit hex fingerprint: ${fingerprint}`);
  return BigInt(`0x${fingerprint}`);
}

/** How many of the 64 bits differ. */
export function hammingDistance(a: Fingerprint, b: Fingerprint): number {
  let diff = toBigInt(a) ^ toBigInt(b);
  let count = 0;
  while (diff !== 0n) {
    diff &= diff - 1n; // clears the lowest set bit
    count++;
  }
  return count;
}

/** Two fingerprints within `threshold` bits (3 is the usual choice for 64-bit SimHash). */
export function isNearDuplicate(a: Fingerprint, b: Fingerprint, threshold = 3): boolean {
  return hammingDistance(a, b) <= threshold;
}
