import { createHash } from 'node:crypto';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AllianceService } from '../alliance/service.ts';
import type { WordingRule } from './checks/index.ts';
import { posTag } from '../nlp/index.ts';
import { type LexiconTerm, LexiconEngine } from './lexicon/index.ts';
import * as repo from './repo.ts';
import { seedDefaults } from './seed.ts';
import type { LexiconRow, ScreeningScope, WordingPackRow } from './tables.ts';

/** jieba's words of a short text, punctuation kept so they add up to it: what whole-word terms are judged by. */
export const jiebaWords = (text: string) => posTag(text).map((w) => w.word);

/** What checks need, held in memory: the workflow runs checks inside its transaction, where no query may go. */
export interface Snapshot {
  generation: string;
  rootId: string;
  lexicons: LexiconRow[];
  allow: Map<string, string[]>;
  packs: WordingPackRow[];
}

/** The lexicon engine and wording rules that apply to one unit. */
export interface UnitRules {
  engine: LexiconEngine;
  rules: WordingRule[];
}

/**
 * The screening configuration (lexicons, allow-lists, wording packs) as the checks use it: loaded
 * once, reloaded only when the generation counter moved, shared by every screening service.
 */
export class ScreeningConfig {
  private snapshot: Snapshot | null = null;
  private refreshing: Promise<void> | null = null;
  /** Terms per lexicon version: a version never changes, so an entry never goes stale. */
  private readonly terms = new Map<string, LexiconTerm[]>();
  /** Built engines per (lexicon versions, allow-list); units with nothing of their own share one. */
  private readonly engines = new Map<string, LexiconEngine>();

  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly audit: AuditRecorder,
  ) {}

  /**
   * Brings the in-memory configuration up to date; call it outside any transaction. Seeds the
   * default lexicon and starter pack the first time, then costs one query when nothing changed.
   */
  async refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** The configuration brought up to date. */
  async current(): Promise<Snapshot> {
    await this.refresh();
    return this.snapshot!;
  }

  private async load() {
    if (!this.snapshot) await seedDefaults(this.db, this.alliance, this.audit);
    const generation = await repo.generation(this.db);
    if (this.snapshot?.generation === generation) return;
    const root = await this.alliance.findRoot();
    if (!root) throw new Error('the alliance has no root unit yet');
    const [lexicons, allowRows, packs] = await Promise.all([repo.allLexicons(this.db), repo.allAllowTerms(this.db), repo.allPacks(this.db)]);
    for (const l of lexicons) {
      const key = `${l.id}@${l.version}`;
      if (!l.enabled || this.terms.has(key)) continue;
      const rows = await repo.termsAt(this.db, l, l.version);
      this.terms.set(key, rows.map((r) => ({ term: r.term, category: r.category as LexiconTerm['category'], severity: r.severity, lexicon: l.name, ...(r.context ? { context: r.context } : {}) })));
    }
    // Forget versions no longer current.
    const current = new Set(lexicons.map((l) => `${l.id}@${l.version}`));
    for (const key of this.terms.keys()) if (!current.has(key)) this.terms.delete(key);
    const allow = new Map<string, string[]>();
    for (const r of allowRows) allow.set(r.unit_id, [...(allow.get(r.unit_id) ?? []), r.term]);
    this.snapshot = { generation, rootId: root.id, lexicons, allow, packs };
  }

  /** The engine and rules that apply to a unit: alliance-wide ones plus the unit's own. */
  forUnit(snap: Snapshot, unitId: string): UnitRules {
    const applies = (r: { unit_id: string; scope: ScreeningScope; enabled: boolean }) => r.enabled && (r.scope === 'alliance' || r.unit_id === unitId);
    const lexicons = snap.lexicons.filter(applies);
    const allow = [...new Set([...(snap.allow.get(snap.rootId) ?? []), ...(unitId === snap.rootId ? [] : (snap.allow.get(unitId) ?? []))])].sort();
    const key = createHash('sha1')
      .update(lexicons.map((l) => `${l.id}@${l.version}`).join(','))
      .update('\0')
      .update(allow.join('\n'))
      .digest('hex');
    let engine = this.engines.get(key);
    if (!engine) {
      engine = LexiconEngine.build(lexicons.flatMap((l) => this.terms.get(`${l.id}@${l.version}`) ?? []), { allow, segment: jiebaWords });
      if (this.engines.size >= 64) this.engines.delete(this.engines.keys().next().value!);
      this.engines.set(key, engine);
    }
    const rules: WordingRule[] = snap.packs.filter(applies).flatMap((p) => p.rules as WordingRule[]);
    return { engine, rules };
  }
}
