/**
 * Access tokens per channel, kept in memory and renewed before they lapse. One fetch at a time per
 * key: twenty deliveries starting together ask the platform once (WeChat caps token calls per day,
 * and a second client_credential fetch can cut the first token's life short).
 */
export interface CachedToken {
  token: string;
  /** Epoch ms after which the token is not used any more (already minus the safety margin). */
  expiresAt: number;
  /** Whatever else the fetch returned that a later refresh needs (Douyin's refresh_token). */
  extra?: Record<string, string>;
}

export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<CachedToken>>();

  constructor(
    /** Renew this long before the platform's expiry (WeChat: the old token stays valid 5 min after a renewal). */
    private readonly marginMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, fetch: () => Promise<{ token: string; expiresInSec: number; extra?: Record<string, string> }>): Promise<CachedToken> {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached;
    return this.refresh(key, fetch);
  }

  /** Fetches a new token now (after the platform said the cached one expired), sharing a fetch already under way. */
  refresh(key: string, fetch: () => Promise<{ token: string; expiresInSec: number; extra?: Record<string, string> }>): Promise<CachedToken> {
    const running = this.inflight.get(key);
    if (running) return running;
    const work = (async () => {
      const got = await fetch();
      const life = Math.max(0, got.expiresInSec * 1000 - this.marginMs);
      const entry: CachedToken = { token: got.token, expiresAt: this.now() + Math.max(life, Math.min(60_000, got.expiresInSec * 500)), extra: got.extra };
      this.tokens.set(key, entry);
      return entry;
    })();
    this.inflight.set(key, work);
    return work.finally(() => this.inflight.delete(key));
  }

  peek(key: string): CachedToken | undefined {
    return this.tokens.get(key);
  }

  set(key: string, entry: CachedToken) {
    this.tokens.set(key, entry);
  }

  invalidate(key: string, token?: string) {
    // Only drop the token that failed: a parallel delivery may already have put a fresh one here.
    if (token === undefined || this.tokens.get(key)?.token === token) this.tokens.delete(key);
  }
}
