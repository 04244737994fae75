import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, notFound } from '../../platform/http/problem.ts';
import type { JobDefinition, JobQueue } from '../../platform/jobs.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext, AllianceService } from '../alliance/service.ts';
import type { ContentService } from '../content/service.ts';
import type { ContentItemRow } from '../content/tables.ts';
import { SYSTEM_USER_ID } from '../identity/system.ts';
import type { Notifier } from '../newsroom/notifications.ts';
import { type Finding, type WordingRule, checkAiLabel, checkWording, parseWordingPack, TypoChecker, typoFindings } from './checks/index.ts';
import { type LexiconTerm, LexiconEngine, loadHoubbLexicon, parseLexiconCsv, parseLexiconText, toCsv, toText } from './lexicon/index.ts';
import type { LlmReviewer } from './llm.ts';
import { can, isRootAdmin, patrolAlert, requireAccess, requireVisible, screeningConfig } from '../../policies/index.ts';
import * as repo from './repo.ts';
import type { LexiconRow, ReviewScope, TermSeverity, WordingPackRow } from './tables.ts';

export const PATROL_JOB = 'review.patrol';
const LEXICON = { zh: '词库', en: 'Lexicon' };
const PACK = { zh: '规范表述规则包', en: 'Wording pack' };
const ALERT = { zh: '巡查告警', en: 'Patrol alert' };
const HOUBB_KEY = 'houbb';
const STARTER_KEY = 'wording-starter';
const dataFile = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

export type Verdict = 'block' | 'review' | 'pass';

/** What checks need, held in memory: the workflow runs checks inside its transaction, where no query may go. */
interface Snapshot {
  generation: string;
  rootId: string;
  lexicons: LexiconRow[];
  allow: Map<string, string[]>;
  packs: WordingPackRow[];
}

export interface TermChange {
  upserts: repo.TermInput[];
  removals: string[];
  replaceAll: boolean;
  note: string | null;
}

export const verdictOf = (findings: Finding[]): Verdict =>
  findings.some((f) => f.severity === 'block') ? 'block' : findings.some((f) => f.severity === 'review') ? 'review' : 'pass';

/**
 * 智能审核: lexicons (versioned, per alliance and unit), allow-lists, wording packs, the one
 * automatic check the newsroom runs, reader-text screening and patrol of published items.
 */
export class ReviewService {
  private snapshot: Snapshot | null = null;
  private refreshing: Promise<void> | null = null;
  /** Terms per lexicon version: a version never changes, so an entry never goes stale. */
  private readonly terms = new Map<string, LexiconTerm[]>();
  /** Built engines per (lexicon versions, allow-list); units with nothing of their own share one. */
  private readonly engines = new Map<string, LexiconEngine>();

  constructor(
    private readonly db: Db,
    private readonly alliance: AllianceService,
    private readonly content: ContentService,
    private readonly audit: AuditRecorder,
    private readonly queue: JobQueue,
    private readonly notifier: Notifier,
    private readonly llm: LlmReviewer | null = null,
  ) {}

  jobs(): JobDefinition[] {
    return [{ name: PATROL_JOB, handler: (data: { unitIds?: string[] | null }) => this.patrol(data.unitIds ?? null) }];
  }

  // ---------------------------------------------------------------- cache

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

  private async load() {
    if (!this.snapshot) await this.seedDefaults();
    const generation = await repo.generation(this.db);
    if (this.snapshot?.generation === generation) return;
    const root = await this.alliance.findRoot();
    if (!root) throw new Error('the alliance has no root unit yet');
    const [lexicons, allowRows, packs] = await Promise.all([repo.allLexicons(this.db), repo.allAllowTerms(this.db), repo.allPacks(this.db)]);
    for (const l of lexicons) {
      const key = `${l.id}@${l.version}`;
      if (!l.enabled || this.terms.has(key)) continue;
      const rows = await repo.termsAt(this.db, l, l.version);
      this.terms.set(key, rows.map((r) => ({ term: r.term, category: r.category as LexiconTerm['category'], severity: r.severity, lexicon: l.name })));
    }
    // Forget versions no longer current.
    const current = new Set(lexicons.map((l) => `${l.id}@${l.version}`));
    for (const key of this.terms.keys()) if (!current.has(key)) this.terms.delete(key);
    const allow = new Map<string, string[]>();
    for (const r of allowRows) allow.set(r.unit_id, [...(allow.get(r.unit_id) ?? []), r.term]);
    this.snapshot = { generation, rootId: root.id, lexicons, allow, packs };
  }

  private async seedDefaults() {
    const root = await this.alliance.findRoot();
    if (!root) return;
    if (!(await repo.findBuiltinLexicon(this.db, HOUBB_KEY))) {
      const parsed = loadHoubbLexicon();
      const terms = dedupe(parsed.terms.map((t) => ({ term: t.term, category: t.category, severity: t.severity })));
      await this.db.transaction().execute(async (trx) => {
        const lexicon = await repo.insertLexicon(trx, {
          unitId: root.id,
          scope: 'alliance',
          name: '默认敏感词库（houbb）',
          description: 'houbb/sensitive-word 非政治类标签词库，联合体通用',
          builtinKey: HOUBB_KEY,
          userId: SYSTEM_USER_ID,
        });
        if (!lexicon) return; // another process seeded it first
        await repo.insertTerms(trx, lexicon, terms, 1);
        await repo.updateLexicon(trx, lexicon.id, { version: 1, userId: SYSTEM_USER_ID });
        await repo.insertVersion(trx, { unitId: root.id, lexiconId: lexicon.id, version: 1, note: '初始导入 / seeded', added: terms.length, removed: 0, userId: SYSTEM_USER_ID });
        await repo.bumpGeneration(trx);
        await this.audit(trx, { actorUserId: SYSTEM_USER_ID }, { unitId: root.id, action: 'review.lexicon.seed', targetType: 'review_lexicon', targetId: lexicon.id, after: { name: lexicon.name, terms: terms.length } });
      });
    }
    if (!(await repo.findBuiltinPack(this.db, STARTER_KEY))) {
      const parsed = parseWordingPack(fs.readFileSync(dataFile('./checks/data/wording-starter.json'), 'utf8'));
      await this.db.transaction().execute(async (trx) => {
        const pack = await repo.insertPack(trx, { unitId: root.id, scope: 'alliance', name: '规范表述（联合体通用）', rules: parsed.rules, builtinKey: STARTER_KEY, userId: SYSTEM_USER_ID });
        if (!pack) return;
        await repo.bumpGeneration(trx);
        await this.audit(trx, { actorUserId: SYSTEM_USER_ID }, { unitId: root.id, action: 'review.pack.seed', targetType: 'review_wording_pack', targetId: pack.id, after: { name: pack.name, rules: parsed.rules.length } });
      });
    }
  }

  /** The engine and rules that apply to a unit: alliance-wide ones plus the unit's own. */
  private configFor(snap: Snapshot, unitId: string) {
    const applies = (r: { unit_id: string; scope: ReviewScope; enabled: boolean }) => r.enabled && (r.scope === 'alliance' || r.unit_id === unitId);
    const lexicons = snap.lexicons.filter(applies);
    const allow = [...new Set([...(snap.allow.get(snap.rootId) ?? []), ...(unitId === snap.rootId ? [] : (snap.allow.get(unitId) ?? []))])].sort();
    const key = createHash('sha1')
      .update(lexicons.map((l) => `${l.id}@${l.version}`).join(','))
      .update('\0')
      .update(allow.join('\n'))
      .digest('hex');
    let engine = this.engines.get(key);
    if (!engine) {
      engine = LexiconEngine.build(lexicons.flatMap((l) => this.terms.get(`${l.id}@${l.version}`) ?? []), { allow });
      if (this.engines.size >= 64) this.engines.delete(this.engines.keys().next().value!);
      this.engines.set(key, engine);
    }
    const rules: WordingRule[] = snap.packs.filter(applies).flatMap((p) => p.rules as WordingRule[]);
    return { engine, rules };
  }

  /** Loaded on first use (the dictionaries take a moment), then shared. */
  private typoChecker() {
    return TypoChecker.load();
  }

  // ---------------------------------------------------------------- checks

  /** Lexicon and wording findings for one text; positions are offsets into it. */
  private scanText(snap: Snapshot, unitId: string, text: string): Finding[] {
    const { engine, rules } = this.configFor(snap, unitId);
    const findings: Finding[] = engine.scan(text).map((m) => ({
      rule: `lexicon.${m.category}`,
      severity: m.severity,
      message: `${m.severity === 'block' ? '禁用词' : m.severity === 'review' ? '敏感词，请核实' : '提示词'}“${m.variant}”${m.variant === m.term ? '' : `（词库：${m.term}）`} · ${m.category}${m.lexicon ? ` · ${m.lexicon}` : ''}`,
      start: m.start,
      end: m.end,
    }));
    findings.push(...checkWording(text, rules));
    return findings;
  }

  /** Title findings carry no offsets (offsets refer to the body); their message names the title. */
  private scanItem(snap: Snapshot, unitId: string, title: string, body: string) {
    const inTitle = this.scanText(snap, unitId, title).map(({ start: _s, end: _e, ...f }) => ({ ...f, message: `标题：${f.message}`, field: 'title' as const, at: _s ?? null, until: _e ?? null }));
    const inBody = this.scanText(snap, unitId, body).map((f) => ({ ...f, field: 'body' as const, at: f.start ?? null, until: f.end ?? null }));
    return [...inTitle, ...inBody];
  }

  /**
   * The newsroom's automatic check (one for the whole module). The workflow runs it before its
   * transaction opens, so it may bring the configuration up to date first.
   */
  checkItem = async (item: ContentItemRow): Promise<Finding[]> => {
    await this.refresh();
    const snap = this.snapshot!;
    const findings: Finding[] = this.scanItem(snap, item.unit_id, item.title, item.body_text).map(({ field: _f, at: _a, until: _u, ...f }) => f);
    // The checker reports only candidates above its shipped confidence threshold.
    findings.push(...typoFindings(this.typoChecker().check(item.body_text)));
    findings.push(...checkAiLabel(item));
    if (this.llm) findings.push(...(await this.llm.review(item.title, item.body_text)));
    return findings;
  };

  /** Findings for an item the caller may see (the editor's inline highlights). */
  async itemFindings(actor: Actor, itemId: string) {
    return this.checkItem(await this.content.get(actor, itemId));
  }

  /**
   * For reader text (comments, tips, inquiries): lexicon and allow-lists of the unit, no wording or
   * typo rules (those are newsroom style). Call outside a transaction.
   */
  async checkReaderText(unitId: string, text: string): Promise<{ findings: Finding[]; verdict: Verdict }> {
    await this.refresh();
    const { engine } = this.configFor(this.snapshot!, unitId);
    const findings: Finding[] = engine.scan(text).map((m) => ({
      rule: `lexicon.${m.category}`,
      severity: m.severity,
      message: `“${m.variant}” · ${m.category}`,
      start: m.start,
      end: m.end,
    }));
    return { findings, verdict: verdictOf(findings) };
  }

  /** The console's "test a text": what an item with this title and body would be told. */
  async testText(actor: Actor, input: { text: string; title?: string }) {
    requireAccess(actor, screeningConfig.screen);
    await this.refresh();
    const snap = this.snapshot!;
    const findings: Finding[] = this.scanItem(snap, actor.unitId, input.title ?? '', input.text).map(({ field: _f, at: _a, until: _u, ...f }) => f);
    findings.push(...typoFindings(this.typoChecker().check(input.text)));
    return { findings, verdict: verdictOf(findings) };
  }

  // ---------------------------------------------------------------- lexicons

  async listLexicons(actor: Actor) {
    requireAccess(actor, screeningConfig.list);
    await this.refresh();
    const rows = await repo.lexiconsFor(this.db, [this.snapshot!.rootId, actor.unitId]);
    return Promise.all(rows.filter((l) => can(actor, screeningConfig.read, l)).map(async (l) => ({ ...l, termCount: await repo.countTerms(this.db, l), manageable: can(actor, screeningConfig.manage, l) })));
  }

  private async readable(actor: Actor, id: string, db = this.db) {
    const lexicon = await repo.findLexicon(db, id);
    if (!lexicon) throw notFound(LEXICON, id);
    requireVisible(actor, screeningConfig.read, lexicon, LEXICON, id);
    return lexicon;
  }

  async getLexicon(actor: Actor, id: string, page: { q?: string; limit: number; offset: number; version?: number }) {
    const lexicon = await this.readable(actor, id);
    if (page.version !== undefined && page.version > lexicon.version) throw notFound({ zh: `词库版本 ${page.version}`, en: `Lexicon version ${page.version}` });
    const [terms, total, versions] = await Promise.all([
      repo.termsAt(this.db, lexicon, page.version, page),
      repo.countTerms(this.db, lexicon, page.q),
      repo.versionsOf(this.db, lexicon),
    ]);
    return { lexicon, terms, total, versions, manageable: can(actor, screeningConfig.manage, lexicon) };
  }

  async createLexicon(ctx: ActorContext, input: { name: string; scope: ReviewScope; description?: string }) {
    await this.refresh();
    const unitId = input.scope === 'alliance' ? this.snapshot!.rootId : ctx.actor.unitId;
    requireAccess(ctx.actor, screeningConfig.manage, { scope: input.scope, unit_id: unitId });
    const name = input.name.trim();
    if (!name) throw badRequest('bad_name', '词库名称不能为空', 'The lexicon needs a name');
    const lexicon = await this.db.transaction().execute(async (trx) => {
      if (await repo.lexiconNameTaken(trx, unitId, name)) throw conflict('name_taken', `已有名为“${name}”的词库`, `A lexicon named “${name}” exists`);
      const row = await repo.insertLexicon(trx, { unitId, scope: input.scope, name, description: input.description?.trim() || null, userId: ctx.actor.userId });
      if (!row) throw conflict('name_taken', `已有名为“${name}”的词库`, `A lexicon named “${name}” exists`);
      await repo.bumpGeneration(trx);
      await this.audit(trx, ctx, { unitId, action: 'review.lexicon.create', targetType: 'review_lexicon', targetId: row.id, after: row });
      return row;
    });
    await this.refresh();
    return lexicon;
  }

  async updateLexicon(ctx: ActorContext, id: string, input: { name?: string; description?: string | null; enabled?: boolean }) {
    const before = await this.readable(ctx.actor, id);
    requireAccess(ctx.actor, screeningConfig.manage, before);
    const name = input.name?.trim();
    if (input.name !== undefined && !name) throw badRequest('bad_name', '词库名称不能为空', 'The lexicon needs a name');
    const after = await this.db.transaction().execute(async (trx) => {
      if (name && (await repo.lexiconNameTaken(trx, before.unit_id, name, id))) throw conflict('name_taken', `已有名为“${name}”的词库`, `A lexicon named “${name}” exists`);
      const row = await repo.updateLexicon(trx, id, {
        ...(name ? { name } : {}),
        ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        userId: ctx.actor.userId,
      });
      await repo.bumpGeneration(trx);
      if (input.enabled === true && !before.enabled) await this.enqueuePatrol(trx, row);
      await this.audit(trx, ctx, { unitId: before.unit_id, action: 'review.lexicon.update', targetType: 'review_lexicon', targetId: id, before, after: row });
      return row;
    });
    await this.refresh();
    return after;
  }

  addTerms(ctx: ActorContext, id: string, terms: repo.TermInput[], note?: string) {
    return this.changeTerms(ctx, id, { upserts: terms, removals: [], replaceAll: false, note: note?.trim() || null }, 'review.lexicon.terms_add');
  }

  removeTerms(ctx: ActorContext, id: string, terms: string[], note?: string) {
    return this.changeTerms(ctx, id, { upserts: [], removals: terms, replaceAll: false, note: note?.trim() || null }, 'review.lexicon.terms_remove');
  }

  /** Txt or CSV; any malformed line rejects the whole import (400 with every line's error), nothing changes. */
  async importTerms(
    ctx: ActorContext,
    id: string,
    input: { format: 'txt' | 'csv'; content: string; mode?: 'merge' | 'replace'; category?: LexiconTerm['category']; severity?: TermSeverity; note?: string },
  ) {
    const parsed =
      input.format === 'csv' ? parseLexiconCsv(input.content) : parseLexiconText(input.content, { category: input.category ?? 'custom', severity: input.severity ?? 'review' });
    if (parsed.errors.length) {
      throw badRequest('bad_lexicon_file', `导入文件有 ${parsed.errors.length} 处错误，未做任何修改`, `The file has ${parsed.errors.length} error(s); nothing was changed`, {
        errors: parsed.errors.slice(0, 200),
      });
    }
    const upserts = parsed.terms.map((t) => ({ term: t.term, category: t.category, severity: t.severity }));
    return this.changeTerms(ctx, id, { upserts, removals: [], replaceAll: input.mode === 'replace', note: input.note?.trim() || `导入 ${input.format}` }, 'review.lexicon.import');
  }

  /** One change = one new version (with who and when), applied as a diff so history stays exact. */
  private async changeTerms(ctx: ActorContext, id: string, change: TermChange, action: string) {
    const lexicon = await this.readable(ctx.actor, id);
    requireAccess(ctx.actor, screeningConfig.manage, lexicon);
    const upserts = dedupe(change.upserts);
    const result = await this.db.transaction().execute(async (trx) => {
      const locked = (await repo.lockLexicon(trx, id))!;
      const version = locked.version + 1;
      const wanted = new Map(upserts.map((t) => [t.term, t]));
      const live = change.replaceAll
        ? await repo.termsAt(trx, locked).then((rows) => rows.map((r) => r.term))
        : [...wanted.keys(), ...change.removals];
      const existing = await liveByName(trx, locked, live);
      const retire: string[] = [];
      const removedTerms: string[] = [];
      for (const [term, row] of existing) {
        const next = wanted.get(term);
        if (next && next.category === row.category && next.severity === row.severity) {
          wanted.delete(term); // unchanged
          continue;
        }
        if (next || change.replaceAll || change.removals.includes(term)) {
          retire.push(row.id);
          if (!next) removedTerms.push(term);
        }
      }
      const added = [...wanted.values()];
      if (!retire.length && !added.length) return { lexicon: locked, version: locked.version, added: 0, removed: 0, changed: false };
      await repo.retireTerms(trx, locked.unit_id, retire, version);
      await repo.insertTerms(trx, locked, added, version);
      const row = await repo.updateLexicon(trx, id, { version, userId: ctx.actor.userId });
      await repo.insertVersion(trx, { unitId: locked.unit_id, lexiconId: id, version, note: change.note, added: added.length, removed: removedTerms.length, userId: ctx.actor.userId });
      await repo.bumpGeneration(trx);
      if (row.enabled) await this.enqueuePatrol(trx, row);
      await this.audit(trx, ctx, {
        unitId: locked.unit_id,
        action,
        targetType: 'review_lexicon',
        targetId: id,
        before: { version: locked.version },
        after: { version, note: change.note, added: added.slice(0, 100).map((t) => t.term), removed: removedTerms.slice(0, 100), addedCount: added.length, removedCount: removedTerms.length },
      });
      return { lexicon: row, version, added: added.length, removed: removedTerms.length, changed: true };
    });
    await this.refresh();
    return result;
  }

  async exportLexicon(actor: Actor, id: string, format: 'txt' | 'csv', version?: number) {
    const lexicon = await this.readable(actor, id);
    const at = version ?? lexicon.version;
    if (at > lexicon.version || at < 0) throw notFound({ zh: `词库版本 ${at}`, en: `Lexicon version ${at}` });
    const rows = await repo.termsAt(this.db, lexicon, at);
    const terms: LexiconTerm[] = rows.map((r) => ({ term: r.term, category: r.category as LexiconTerm['category'], severity: r.severity }));
    return { lexicon, version: at, body: format === 'csv' ? toCsv(terms) : toText(terms) };
  }

  // ---------------------------------------------------------------- allow-lists

  async allowList(actor: Actor) {
    requireAccess(actor, screeningConfig.list);
    await this.refresh();
    const root = this.snapshot!.rootId;
    const [alliance, unit] = await Promise.all([repo.allowTermsOf(this.db, root), actor.unitId === root ? Promise.resolve([]) : repo.allowTermsOf(this.db, actor.unitId)]);
    return { alliance: alliance.filter((r) => r.scope === 'alliance'), unit: actor.unitId === root ? alliance.filter((r) => r.scope === 'unit') : unit };
  }

  async changeAllowList(ctx: ActorContext, input: { scope: ReviewScope; add?: string[]; remove?: string[]; note?: string }) {
    await this.refresh();
    const unitId = input.scope === 'alliance' ? this.snapshot!.rootId : ctx.actor.unitId;
    requireAccess(ctx.actor, screeningConfig.manage, { scope: input.scope, unit_id: unitId });
    const add = [...new Set((input.add ?? []).map((t) => t.trim()).filter(Boolean))];
    const remove = [...new Set((input.remove ?? []).map((t) => t.trim()).filter(Boolean))];
    if (!add.length && !remove.length) throw badRequest('nothing_to_change', '请填写要加入或移出白名单的词', 'Give terms to add or remove');
    const result = await this.db.transaction().execute(async (trx) => {
      const removed = await repo.removeAllowTerms(trx, unitId, remove);
      const added = await repo.addAllowTerms(trx, unitId, input.scope, add, input.note?.trim() || null, ctx.actor.userId);
      // An allow-list only silences findings, so it raises no new patrol alerts.
      await repo.bumpGeneration(trx);
      await this.audit(trx, ctx, { unitId, action: 'review.allow_list.update', targetType: 'review_allow_list', targetId: unitId, after: { scope: input.scope, add, remove, added, removed } });
      return { added, removed };
    });
    await this.refresh();
    return result;
  }

  // ---------------------------------------------------------------- wording packs

  async listPacks(actor: Actor) {
    requireAccess(actor, screeningConfig.list);
    await this.refresh();
    const rows = await repo.packsFor(this.db, [this.snapshot!.rootId, actor.unitId]);
    return rows.filter((p) => can(actor, screeningConfig.read, p)).map((p) => ({ ...p, manageable: can(actor, screeningConfig.manage, p) }));
  }

  async getPack(actor: Actor, id: string) {
    const pack = await repo.findPack(this.db, id);
    if (!pack) throw notFound(PACK, id);
    requireVisible(actor, screeningConfig.read, pack, PACK, id);
    return { ...pack, manageable: can(actor, screeningConfig.manage, pack) };
  }

  async createPack(ctx: ActorContext, input: { name: string; scope: ReviewScope; rules: unknown[] }) {
    await this.refresh();
    const unitId = input.scope === 'alliance' ? this.snapshot!.rootId : ctx.actor.unitId;
    requireAccess(ctx.actor, screeningConfig.manage, { scope: input.scope, unit_id: unitId });
    const rules = validRules(input.rules);
    const name = input.name.trim();
    if (!name) throw badRequest('bad_name', '规则包名称不能为空', 'The pack needs a name');
    const pack = await this.db.transaction().execute(async (trx) => {
      if (await repo.packNameTaken(trx, unitId, name)) throw conflict('name_taken', `已有名为“${name}”的规则包`, `A pack named “${name}” exists`);
      const row = await repo.insertPack(trx, { unitId, scope: input.scope, name, rules, userId: ctx.actor.userId });
      if (!row) throw conflict('name_taken', `已有名为“${name}”的规则包`, `A pack named “${name}” exists`);
      await repo.bumpGeneration(trx);
      await this.enqueuePatrol(trx, row);
      await this.audit(trx, ctx, { unitId, action: 'review.pack.create', targetType: 'review_wording_pack', targetId: row.id, after: row });
      return row;
    });
    await this.refresh();
    return pack;
  }

  async updatePack(ctx: ActorContext, id: string, input: { name?: string; rules?: unknown[]; enabled?: boolean }) {
    const before = await repo.findPack(this.db, id);
    if (!before) throw notFound(PACK, id);
    requireVisible(ctx.actor, screeningConfig.read, before, PACK, id);
    requireAccess(ctx.actor, screeningConfig.manage, before);
    const rules = input.rules === undefined ? undefined : validRules(input.rules);
    const name = input.name?.trim();
    if (input.name !== undefined && !name) throw badRequest('bad_name', '规则包名称不能为空', 'The pack needs a name');
    const after = await this.db.transaction().execute(async (trx) => {
      if (name && (await repo.packNameTaken(trx, before.unit_id, name, id))) throw conflict('name_taken', `已有名为“${name}”的规则包`, `A pack named “${name}” exists`);
      const row = await repo.updatePack(trx, id, { ...(name ? { name } : {}), ...(rules ? { rules } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}), userId: ctx.actor.userId });
      await repo.bumpGeneration(trx);
      if (row.enabled) await this.enqueuePatrol(trx, row);
      await this.audit(trx, ctx, { unitId: before.unit_id, action: 'review.pack.update', targetType: 'review_wording_pack', targetId: id, before, after: row });
      return row;
    });
    await this.refresh();
    return after;
  }

  async deletePack(ctx: ActorContext, id: string) {
    const before = await repo.findPack(this.db, id);
    if (!before) throw notFound(PACK, id);
    requireVisible(ctx.actor, screeningConfig.read, before, PACK, id);
    requireAccess(ctx.actor, screeningConfig.manage, before);
    await this.db.transaction().execute(async (trx) => {
      await repo.deletePack(trx, id);
      await repo.bumpGeneration(trx);
      await this.audit(trx, ctx, { unitId: before.unit_id, action: 'review.pack.delete', targetType: 'review_wording_pack', targetId: id, before });
    });
    await this.refresh();
  }

  // ---------------------------------------------------------------- patrol 巡查

  /** In the change's own transaction: the patrol exists exactly when the change committed. */
  private enqueuePatrol(trx: Db, target: { scope: ReviewScope; unit_id: string }) {
    return this.queue.enqueue(trx, PATROL_JOB, { unitIds: target.scope === 'alliance' ? null : [target.unit_id] });
  }

  /**
   * Re-scans published items (published, corrected) of the given units (null: every unit) with the
   * lexicons and wording packs as they are now; block and review findings not alerted before for the
   * same item, rule and position become alerts, and the unit's editors are notified once per item.
   */
  async patrol(unitIds: string[] | null) {
    await this.refresh();
    const snap = this.snapshot!;
    const units = (await this.alliance.listUnits({})).filter((u) => !unitIds || unitIds.includes(u.id));
    let scanned = 0;
    let raised = 0;
    for (const unit of units) {
      const actor: Actor = { userId: SYSTEM_USER_ID, unitId: unit.id, unitPath: unit.path, role: 'chief_editor' };
      const items: ContentItemRow[] = [];
      for (const status of ['published', 'corrected'] as const) {
        for (let offset = 0; ; offset += 200) {
          const page = await this.content.list(actor, { view: 'unit', status, limit: 200, offset });
          for (const summary of page) items.push(await this.content.get(actor, summary.id));
          if (page.length < 200) break;
        }
      }
      if (!items.length) continue;
      const alerts: repo.NewAlert[] = [];
      for (const item of items) {
        scanned++;
        for (const f of this.scanItem(snap, unit.id, item.title, item.body_text)) {
          if (f.severity === 'info') continue;
          const text = f.field === 'title' ? item.title : item.body_text;
          const excerpt = f.at === null ? null : text.slice(f.at, f.until ?? f.at);
          alerts.push({
            unit_id: unit.id,
            item_id: item.id,
            fingerprint: `${f.field}:${f.rule}:${f.at ?? ''}-${f.until ?? ''}:${excerpt ?? f.message}`.slice(0, 500),
            rule: f.rule,
            severity: f.severity,
            message: f.message,
            field: f.field,
            start_offset: f.at,
            end_offset: f.until,
            excerpt,
          });
        }
      }
      const titles = new Map(items.map((i) => [i.id, i.title]));
      raised += await this.db.transaction().execute(async (trx) => {
        const fresh = await repo.insertAlerts(trx, alerts);
        if (!fresh.length) return 0;
        const editors = await this.alliance.membersWithRoles(unit.id, ['editor', 'chief_editor'], trx);
        const byItem = new Map<string, number>();
        for (const a of fresh) byItem.set(a.item_id, (byItem.get(a.item_id) ?? 0) + 1);
        for (const [itemId, n] of byItem) {
          await this.notifier.notify(trx, {
            unitId: unit.id,
            userIds: editors.map((e) => e.user_id),
            kind: 'review_needed',
            title: `巡查：已发布稿件《${titles.get(itemId) ?? ''}》发现 ${n} 个问题`,
            body: '词库或规范表述更新后重新检查已发布稿件时发现，请核实处理。',
            link: `/items/${itemId}?review=alerts`,
          });
        }
        return fresh.length;
      });
    }
    return { units: units.length, scanned, raised };
  }

  async listAlerts(actor: Actor, f: { status?: 'open' | 'resolved'; itemId?: string; limit: number; offset: number }) {
    requireAccess(actor, patrolAlert.read);
    return repo.listAlerts(this.db, actor.unitId, f);
  }

  async resolveAlert(ctx: ActorContext, id: string, resolution?: string) {
    requireAccess(ctx.actor, patrolAlert.resolve);
    return this.db.transaction().execute(async (trx) => {
      const before = await repo.findAlert(trx, ctx.actor.unitId, id);
      if (!before) throw notFound(ALERT, id);
      if (before.status === 'resolved') throw conflict('already_resolved', '该告警已处理', 'The alert is already resolved');
      const after = await repo.resolveAlert(trx, ctx.actor.unitId, id, ctx.actor.userId, resolution?.trim() || null);
      await this.audit(trx, ctx, { unitId: ctx.actor.unitId, action: 'review.alert.resolve', targetType: 'review_alert', targetId: id, before, after });
      return after;
    });
  }

  /** For the console: may the caller edit alliance-wide configuration? */
  isAllianceManager(actor: Actor) {
    return isRootAdmin(actor);
  }
}

/** The last occurrence of a term wins, as when an editor corrects a line further down a file. */
function dedupe(terms: repo.TermInput[]) {
  const map = new Map<string, repo.TermInput>();
  for (const t of terms) {
    const term = t.term.trim();
    if (term) map.set(term, { ...t, term });
  }
  return [...map.values()];
}

async function liveByName(db: Db, lexicon: LexiconRow, names: string[]) {
  const out = new Map<string, { id: string; category: string; severity: TermSeverity }>();
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += 5000) {
    for (const r of await repo.liveTermsNamed(db, lexicon, unique.slice(i, i + 5000))) out.set(r.term, r);
  }
  return out;
}

function validRules(rules: unknown[]): WordingRule[] {
  const parsed = parseWordingPack({ rules });
  if (parsed.errors.length) {
    throw badRequest('bad_wording_rules', `规则有 ${parsed.errors.length} 处错误`, `The pack has ${parsed.errors.length} error(s)`, { errors: parsed.errors });
  }
  return parsed.rules;
}

