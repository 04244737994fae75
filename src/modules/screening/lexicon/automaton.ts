// Aho–Corasick automaton stored as a double-array trie in typed arrays: a transition is
// `t = base[s] + symbol; check[t] === s`, so scanning touches a few Int32Array cells per character
// and the whole automaton for the 41.7k-term lexicon fits in a few MB instead of ~100 MB of objects.

/** A key to insert: its UTF-16 units after folding, and the output id reported when it is seen. */
export interface Key {
  units: number[];
  output: number;
}

export interface Automaton {
  /** unit → symbol (≥ 1), or 0 when no key uses the unit. */
  sym: Int32Array;
  /** base and check interleaved (da[2t] = base[t], da[2t+1] = check[t]): one cache line serves both reads of a transition. */
  da: Int32Array;
  fail: Int32Array;
  /** First output of the state itself, or -1. */
  out: Int32Array;
  /** Nearest state on the failure chain with outputs of its own, or -1. */
  dict: Int32Array;
  /** The state itself when it has outputs, else dict[state]: where emitting starts (-1: nothing to emit). */
  emit: Int32Array;
  depth: Int32Array;
  outId: Int32Array;
  outNext: Int32Array;
  maxDepth: number;
  states: number;
}

export function buildAutomaton(keys: Key[]): Automaton {
  // Symbols by descending frequency: common characters get small numbers and pack densely.
  const freq = new Map<number, number>();
  for (const k of keys) for (const u of k.units) freq.set(u, (freq.get(u) ?? 0) + 1);
  const sym = new Int32Array(0x10000);
  const ordered = [...freq.entries()].sort((a, b) => b[1] - a[1]);
  ordered.forEach(([u], i) => (sym[u] = i + 1));
  const alphabet = ordered.length;

  // 1. A plain trie: children found through one Map keyed by node * stride + symbol.
  const stride = alphabet + 1;
  const childOf = new Map<number, number>();
  const firstChild: number[] = [-1];
  const nextSibling: number[] = [-1];
  const nodeSym: number[] = [0];
  const nodeOut: number[] = [-1];
  const outId: number[] = [];
  const outNext: number[] = [];
  let maxDepth = 0;
  for (const k of keys) {
    if (k.units.length === 0) continue;
    let node = 0;
    for (const u of k.units) {
      const s = sym[u];
      const key = node * stride + s;
      let child = childOf.get(key);
      if (child === undefined) {
        child = firstChild.length;
        childOf.set(key, child);
        firstChild.push(-1);
        nodeSym.push(s);
        nodeOut.push(-1);
        nextSibling.push(firstChild[node]);
        firstChild[node] = child;
      }
      node = child;
    }
    outId.push(k.output);
    outNext.push(nodeOut[node]);
    nodeOut[node] = outId.length - 1;
    if (k.units.length > maxDepth) maxDepth = k.units.length;
  }
  const nodes = firstChild.length;

  // 2. Place nodes into the double array in breadth-first order.
  let size = Math.max(1024, nodes * 2 + stride + 1);
  let base = new Int32Array(size);
  let check = new Int32Array(size).fill(-1);
  const index = new Int32Array(nodes); // trie node → double-array cell
  const order = new Int32Array(nodes); // BFS order of trie nodes
  const nodeDepth = new Int32Array(nodes);
  index[0] = 0;
  check[0] = 0; // the root occupies cell 0
  let head = 0;
  let tail = 1;
  let firstFree = 1;
  const syms: number[] = [];
  while (head < tail) {
    const node = order[head++];
    syms.length = 0;
    for (let c = firstChild[node]; c !== -1; c = nextSibling[c]) syms.push(nodeSym[c]);
    if (syms.length === 0) continue;
    syms.sort((a, b) => a - b);
    while (check[firstFree] !== -1) firstFree++;
    let b = Math.max(firstFree, syms[0]) - syms[0];
    for (;;) {
      const need = b + syms[syms.length - 1] + 1;
      if (need + stride >= size) {
        // Grow with room for one more full row past the end, so base + any symbol stays in bounds.
        const bigger = Math.max(size * 2, need + stride + 1);
        const nb = new Int32Array(bigger);
        nb.set(base);
        const nc = new Int32Array(bigger).fill(-1);
        nc.set(check);
        base = nb;
        check = nc;
        size = bigger;
      }
      let fits = check[b + syms[0]] === -1;
      for (let j = 1; fits && j < syms.length; j++) fits = check[b + syms[j]] === -1;
      if (fits) break;
      b++;
      while (check[b + syms[0]] !== -1) b++;
    }
    const cell = index[node];
    base[cell] = b;
    for (let c = firstChild[node]; c !== -1; c = nextSibling[c]) {
      const t = b + nodeSym[c];
      check[t] = cell;
      index[c] = t;
      nodeDepth[c] = nodeDepth[node] + 1;
      order[tail++] = c;
    }
  }
  let used = 0;
  for (let i = 0; i < size; i++) if (check[i] !== -1 && i > used) used = i;
  // Trim, keeping one full row of padding past the last used cell for the bounds argument above.
  size = used + stride + 1;
  base = base.slice(0, size);
  check = check.slice(0, size);

  // 3. Failure and dictionary links, breadth first so a parent's links are final before its children's.
  const fail = new Int32Array(size);
  const out = new Int32Array(size).fill(-1);
  const dict = new Int32Array(size).fill(-1);
  const emit = new Int32Array(size).fill(-1);
  const depth = new Int32Array(size);
  for (let i = 0; i < nodes; i++) {
    out[index[i]] = nodeOut[i];
    depth[index[i]] = nodeDepth[i];
  }
  for (let h = 1; h < nodes; h++) {
    const node = order[h];
    const cell = index[node];
    const s = nodeSym[node];
    // The parent is check[cell]; the failure of a root child is the root.
    const parent = check[cell];
    let f = 0;
    if (parent !== 0) {
      let p = fail[parent];
      for (;;) {
        const t = base[p] + s;
        if (check[t] === p && t !== cell) {
          f = t;
          break;
        }
        if (p === 0) break;
        p = fail[p];
      }
    }
    fail[cell] = f;
    dict[cell] = out[f] >= 0 ? f : dict[f];
    emit[cell] = out[cell] >= 0 ? cell : dict[cell];
  }
  const da = new Int32Array(size * 2);
  for (let i = 0; i < size; i++) {
    da[2 * i] = base[i];
    da[2 * i + 1] = check[i];
  }
  return {
    sym,
    da,
    fail,
    out,
    dict,
    emit,
    depth,
    outId: Int32Array.from(outId),
    outNext: Int32Array.from(outNext),
    maxDepth,
    states: nodes,
  };
}
