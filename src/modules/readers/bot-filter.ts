/**
 * Traffic that is not a person reading: crawlers and scripted clients by their user agent, and clients
 * sending at rates no reader could (more events a minute than anyone reads, or page views faster than a
 * page can load). Headless Chrome is deliberately not on the list: the platform's own browser tests
 * and prerender services use it, and the rate limit catches it when it misbehaves.
 */
const BOT_AGENT =
  /bot\b|bot\/|crawl|spider|slurp|baiduspider|yisouspider|sogou|bytespider|petalbot|scrapy|python-requests|python-urllib|aiohttp|httpx|go-http-client|java\/|okhttp|libwww|curl\/|wget\/|node-fetch|axios\/|phantomjs|facebookexternalhit|preview|monitor|uptime|lighthouse/i;

export function isBotAgent(userAgent: string | undefined): boolean {
  if (!userAgent || userAgent.length < 10) return true;
  return BOT_AGENT.test(userAgent);
}

export interface RateLimits {
  /** Events per key per minute beyond which the key is treated as a bot. */
  eventsPerMinute: number;
  /** Page views per key per 10 s: nobody opens a story every 200 ms for ten seconds. */
  viewsPer10s: number;
  /** How long a key stays flagged once it crossed a limit. */
  penaltyMs: number;
}

const DEFAULT_LIMITS: RateLimits = { eventsPerMinute: 600, viewsPer10s: 50, penaltyMs: 10 * 60_000 };
const MAX_KEYS = 100_000;

interface Window {
  minuteStart: number;
  events: number;
  tenStart: number;
  views: number;
  flaggedUntil: number;
}

/** Fixed-window counters per device (or address when there is no device id), kept in memory. */
export class RateFilter {
  private windows = new Map<string, Window>();
  private readonly limits: RateLimits;

  constructor(limits: Partial<RateLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Counts a batch against the key; true when the key is (now) over a limit. */
  overLimit(key: string, events: number, views: number, now = Date.now()): boolean {
    let w = this.windows.get(key);
    if (!w) {
      if (this.windows.size >= MAX_KEYS) this.evict(now);
      w = { minuteStart: now, events: 0, tenStart: now, views: 0, flaggedUntil: 0 };
      this.windows.set(key, w);
    }
    if (w.flaggedUntil > now) return true;
    if (now - w.minuteStart >= 60_000) Object.assign(w, { minuteStart: now, events: 0 });
    if (now - w.tenStart >= 10_000) Object.assign(w, { tenStart: now, views: 0 });
    w.events += events;
    w.views += views;
    if (w.events > this.limits.eventsPerMinute || w.views > this.limits.viewsPer10s) {
      w.flaggedUntil = now + this.limits.penaltyMs;
      return true;
    }
    return false;
  }

  private evict(now: number) {
    for (const [k, w] of this.windows) {
      if (now - w.minuteStart >= 60_000 && w.flaggedUntil <= now) this.windows.delete(k);
    }
    // Still full (a flood of fresh keys): drop the oldest half rather than grow without bound.
    if (this.windows.size >= MAX_KEYS) {
      let n = MAX_KEYS / 2;
      for (const k of this.windows.keys()) {
        if (n-- <= 0) break;
        this.windows.delete(k);
      }
    }
  }
}

/** Recently seen client event ids: catches a resent batch before it costs a database round trip. */
export class RecentIds {
  private seen = new Set<string>();
  constructor(private readonly capacity = 200_000) {}

  /** true when the id was already seen; remembers it otherwise. */
  check(id: string): boolean {
    if (this.seen.has(id)) return true;
    this.seen.add(id);
    if (this.seen.size > this.capacity) {
      // Sets iterate in insertion order, so the first entries are the oldest.
      const first = this.seen.values().next().value;
      if (first !== undefined) this.seen.delete(first);
    }
    return false;
  }
}
