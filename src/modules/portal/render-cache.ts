import crypto from 'node:crypto';
import { onSiteChange } from './site.events.ts';

/** A rendered response: what the cache keeps and what a conditional request is checked against. */
export interface Rendered {
  status: number;
  type: string;
  body: string;
  /** The body encoded once, so a cache hit writes bytes without re-encoding the page. */
  bytes: Buffer;
  /** Weak ETag over the rendered bytes (which carry the story's revision). */
  etag: string;
}

export const weakEtag = (body: string, revision = 0) => `W/"${revision.toString(36)}-${crypto.createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;

export function rendered(status: number, type: string, body: string, revision?: number): Rendered {
  return { status, type, body, bytes: Buffer.from(body, 'utf8'), etag: weakEtag(body, revision) };
}

/**
 * The in-process cache of rendered pages, feeds and app responses. Any write to the site store
 * empties it (publishing is rare next to reading, and a list page depends on every story), and
 * entries also expire after `ttlMs` so several processes behind a proxy converge quickly.
 * Concurrent misses for one key share one render.
 */
export class RenderCache {
  private readonly entries = new Map<string, { value: Rendered; expires: number }>();
  private readonly pending = new Map<string, Promise<Rendered>>();
  private generation = 0;
  readonly unsubscribe: () => void;

  constructor(
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 5_000,
  ) {
    this.unsubscribe = onSiteChange(() => this.clear());
  }

  clear(): void {
    this.entries.clear();
    this.pending.clear();
    this.generation++;
  }

  async get(key: string, produce: () => Promise<Rendered>): Promise<Rendered> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const job = produce().finally(() => {
      if (this.pending.get(key) === job) this.pending.delete(key);
    });
    this.pending.set(key, job);
    const value = await job;
    // A write that landed while rendering makes this render stale: serve it once, do not keep it.
    if (generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
    }
    return value;
  }
}
