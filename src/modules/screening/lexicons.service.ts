import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, conflict, notFound } from '../../platform/http/problem.ts';
import type { Actor } from '../../policies/index.ts';
import type { ActorContext } from '../alliance/service.ts';
import type { ScreeningConfig } from './config.ts';
import { type LexiconTerm, parseLexiconCsv, parseLexiconText, toCsv, toText } from './lexicon/index.ts';
import type { PatrolService } from './patrol.service.ts';
import { can, requireAccess, screeningConfig } from '../../policies/index.ts';
import * as repo from './repo.ts';
import { ownerOf } from './scope.ts';
import type { LexiconRow, ScreeningScope, TermSeverity } from './tables.ts';

const LEXICON = { zh: '词库', en: 'Lexicon' };

interface TermChange {
  upserts: repo.TermInput[];
  removals: string[];
  replaceAll: boolean;
  note: string | null;
}

/** 敏感词库: lexicons per alliance and unit, every change a new version that can be exported again. */
export class LexiconService {
  constructor(
    private readonly db: Db,
    private readonly config: ScreeningConfig,
    private readonly audit: AuditRecorder,
    private readonly patrol: PatrolService,
  ) {}

  async list(actor: Actor) {
    requireAccess(actor, screeningConfig.list);
    const { rootId } = await this.config.current();
    const rows = await repo.lexiconsFor(this.db, [rootId, actor.unitId]);
    return Promise.all(rows.filter((l) => can(actor, screeningConfig.read, l)).map(async (l) => ({ ...l, termCount: await repo.countTerms(this.db, l), manageable: can(actor, screeningConfig.manage, l) })));
  }

  private async readable(actor: Actor, id: string, db = this.db) {
    const lexicon = await repo.findLexicon(db, id);
    if (!lexicon || !can(actor, screeningConfig.read, lexicon)) throw notFound(LEXICON, id);
    return lexicon;
  }

  async get(actor: Actor, id: string, page: { q?: string; limit: number; offset: number; version?: number }) {
    requireAccess(actor, screeningConfig.list);
    const lexicon = await this.readable(actor, id);
    if (page.version !== undefined && page.version > lexicon.version) throw notFound({ zh: `词库版本 ${page.version}`, en: `Lexicon version ${page.version}` });
    const [terms, total, versions] = await Promise.all([
      repo.termsAt(this.db, lexicon, page.version, page),
      repo.countTerms(this.db, lexicon, page.q),
      repo.versionsOf(this.db, lexicon),
    ]);
    return { lexicon, terms, total, versions, manageable: can(actor, screeningConfig.manage, lexicon) };
  }

  async create(ctx: ActorContext, input: { name: string; scope: ScreeningScope; description?: string }) {
    const unitId = ownerOf(input.scope, (await this.config.current()).rootId, ctx.actor);
    requireAccess(ctx.actor, screeningConfig.manage, { scope: input.scope, unit_id: unitId });
    const name = input.name.trim();
    if (!name) throw badRequest('bad_name', '词库名称不能为空', 'The lexicon needs a name');
    const lexicon = await this.db.transaction().execute(async (trx) => {
      if (await repo.lexiconNameTaken(trx, unitId, name)) throw nameTaken(name);
      const row = await repo.insertLexicon(trx, { unitId, scope: input.scope, name, description: input.description?.trim() || null, userId: ctx.actor.userId });
      if (!row) throw nameTaken(name);
      await repo.bumpGeneration(trx);
      await this.audit(trx, ctx, { unitId, action: 'screening.lexicon.create', targetType: 'screening_lexicon', targetId: row.id, after: row });
      return row;
    });
    await this.config.refresh();
    return lexicon;
  }

  async update(ctx: ActorContext, id: string, input: { name?: string; description?: string | null; enabled?: boolean }) {
    const before = await this.readable(ctx.actor, id);
    requireAccess(ctx.actor, screeningConfig.manage, before);
    const name = input.name?.trim();
    if (input.name !== undefined && !name) throw badRequest('bad_name', '词库名称不能为空', 'The lexicon needs a name');
    const after = await this.db.transaction().execute(async (trx) => {
      if (name && (await repo.lexiconNameTaken(trx, before.unit_id, name, id))) throw nameTaken(name);
      const row = await repo.updateLexicon(trx, id, {
        ...(name ? { name } : {}),
        ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        userId: ctx.actor.userId,
      });
      await repo.bumpGeneration(trx);
      if (input.enabled === true && !before.enabled) await this.patrol.enqueue(trx, row);
      await this.audit(trx, ctx, { unitId: before.unit_id, action: 'screening.lexicon.update', targetType: 'screening_lexicon', targetId: id, before, after: row });
      return row;
    });
    await this.config.refresh();
    return after;
  }

  addTerms(ctx: ActorContext, id: string, terms: repo.TermInput[], note?: string) {
    return this.changeTerms(ctx, id, { upserts: terms, removals: [], replaceAll: false, note: note?.trim() || null }, 'screening.lexicon.terms_add');
  }

  removeTerms(ctx: ActorContext, id: string, terms: string[], note?: string) {
    return this.changeTerms(ctx, id, { upserts: [], removals: terms, replaceAll: false, note: note?.trim() || null }, 'screening.lexicon.terms_remove');
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
    return this.changeTerms(ctx, id, { upserts, removals: [], replaceAll: input.mode === 'replace', note: input.note?.trim() || `导入 ${input.format}` }, 'screening.lexicon.import');
  }

  /** One change = one new version (with who and when), applied as a diff so history stays exact. */
  private async changeTerms(ctx: ActorContext, id: string, change: TermChange, action: string) {
    const lexicon = await this.readable(ctx.actor, id);
    requireAccess(ctx.actor, screeningConfig.manage, lexicon);
    const upserts = dedupeTerms(change.upserts);
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
      if (row.enabled) await this.patrol.enqueue(trx, row);
      await this.audit(trx, ctx, {
        unitId: locked.unit_id,
        action,
        targetType: 'screening_lexicon',
        targetId: id,
        before: { version: locked.version },
        after: { version, note: change.note, added: added.slice(0, 100).map((t) => t.term), removed: removedTerms.slice(0, 100), addedCount: added.length, removedCount: removedTerms.length },
      });
      return { lexicon: row, version, added: added.length, removed: removedTerms.length, changed: true };
    });
    await this.config.refresh();
    return result;
  }

  async export(actor: Actor, id: string, format: 'txt' | 'csv', version?: number) {
    requireAccess(actor, screeningConfig.list);
    const lexicon = await this.readable(actor, id);
    const at = version ?? lexicon.version;
    if (at > lexicon.version || at < 0) throw notFound({ zh: `词库版本 ${at}`, en: `Lexicon version ${at}` });
    const rows = await repo.termsAt(this.db, lexicon, at);
    const terms: LexiconTerm[] = rows.map((r) => ({ term: r.term, category: r.category as LexiconTerm['category'], severity: r.severity }));
    return { lexicon, version: at, body: format === 'csv' ? toCsv(terms) : toText(terms) };
  }
}

const nameTaken = (name: string) => conflict('name_taken', `已有名为“${name}”的词库`, `A lexicon named “${name}” exists`);

/** The last occurrence of a term wins, as when an editor corrects a line further down a file. */
export function dedupeTerms(terms: repo.TermInput[]) {
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
