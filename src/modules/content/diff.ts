import { diffArrays, diffChars } from 'diff';
import type { DiffDto } from './schema.ts';

/**
 * A diff an editor can read in Chinese: first by sentence (。！？；and line ends), so a rewritten
 * paragraph shows as whole sentences; then, for a sentence replaced by one similar to it, by character,
 * because Chinese has no spaces for a word diff to lean on.
 */
export function sentences(text: string): string[] {
  return text.match(/[^。！？；!?;\n]+[。！？；!?;]*[”’」』）)]*\n?|\n/g)?.filter((s) => s.trim()) ?? [];
}

type BodyOp = DiffDto['body'][number];

export function diffText(before: string, after: string): { body: BodyOp[]; stats: DiffDto['stats'] } {
  const ops: BodyOp[] = [];
  const stats = { insertedChars: 0, deletedChars: 0 };
  const chunks = diffArrays(sentences(before), sentences(after));
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    const next = chunks[i + 1];
    if (chunk.removed && next?.added) {
      pairUp(chunk.value, next.value, ops, stats);
      i++;
    } else if (chunk.removed) {
      for (const s of chunk.value) {
        ops.push({ op: 'delete', before: s });
        stats.deletedChars += s.length;
      }
    } else if (chunk.added) {
      for (const s of chunk.value) {
        ops.push({ op: 'insert', after: s });
        stats.insertedChars += s.length;
      }
    } else {
      for (const s of chunk.value) ops.push({ op: 'equal', before: s, after: s });
    }
  }
  return { body: ops, stats };
}

function pairUp(removed: string[], added: string[], ops: BodyOp[], stats: DiffDto['stats']) {
  const n = Math.max(removed.length, added.length);
  for (let k = 0; k < n; k++) {
    const a = removed[k];
    const b = added[k];
    if (a !== undefined && b !== undefined) {
      const parts = diffChars(a, b).map((p) => ({ op: p.added ? 'insert' : p.removed ? 'delete' : 'equal', text: p.value }) as const);
      const same = parts.filter((p) => p.op === 'equal').reduce((sum, p) => sum + p.text.length, 0);
      for (const p of parts) {
        if (p.op === 'insert') stats.insertedChars += p.text.length;
        if (p.op === 'delete') stats.deletedChars += p.text.length;
      }
      // Sentences sharing under a third of their characters read better as delete + insert.
      if (same * 3 >= Math.max(a.length, b.length)) ops.push({ op: 'change', before: a, after: b, parts });
      else ops.push({ op: 'delete', before: a }, { op: 'insert', after: b });
    } else if (a !== undefined) {
      ops.push({ op: 'delete', before: a });
      stats.deletedChars += a.length;
    } else if (b !== undefined) {
      ops.push({ op: 'insert', after: b });
      stats.insertedChars += b.length;
    }
  }
}
