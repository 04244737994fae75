import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { AlertRow, LexiconRow, ScreeningScope, TermContextJson, TermSeverity } from './tables.ts';

/** Every SQL statement of the screening module. */

export interface TermInput {
  term: string;
  category: string;
  severity: TermSeverity;
  context?: TermContextJson | null;
}

// ---- generation: one counter for all screening configuration ----

export async function generation(db: Db): Promise<string> {
  const row = await db.selectFrom('screening_generation').select('generation').where('id', '=', 1).executeTakeFirst();
  return String(row?.generation ?? '0');
}

export async function bumpGeneration(db: Db) {
  await db.updateTable('screening_generation').set({ generation: sql`generation + 1` }).where('id', '=', 1).execute();
}

// ---- lexicons ----

export function allLexicons(db: Db) {
  return db.selectFrom('screening_lexicons').selectAll().orderBy('created_at').execute();
}

export function lexiconsFor(db: Db, unitIds: string[]) {
  return db.selectFrom('screening_lexicons').selectAll().where('unit_id', 'in', unitIds).orderBy('scope').orderBy('name').execute();
}

export function findLexicon(db: Db, id: string) {
  return db.selectFrom('screening_lexicons').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findBuiltinLexicon(db: Db, key: string) {
  return db.selectFrom('screening_lexicons').selectAll().where('builtin_key', '=', key).executeTakeFirst();
}

/** The row locked for a change, so two concurrent edits get consecutive versions. */
export function lockLexicon(db: Db, id: string) {
  return db.selectFrom('screening_lexicons').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function insertLexicon(
  db: Db,
  l: { unitId: string; scope: ScreeningScope; name: string; description: string | null; builtinKey?: string | null; userId: string | null },
) {
  return db
    .insertInto('screening_lexicons')
    .values({ unit_id: l.unitId, scope: l.scope, name: l.name, description: l.description, builtin_key: l.builtinKey ?? null, created_by: l.userId, updated_by: l.userId })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateLexicon(db: Db, id: string, fields: { name?: string; description?: string | null; enabled?: boolean; version?: number; userId: string | null }) {
  const { userId, ...rest } = fields;
  return db
    .updateTable('screening_lexicons')
    .set({ ...rest, updated_by: userId, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function setBuiltinKey(db: Db, id: string, key: string) {
  return db.updateTable('screening_lexicons').set({ builtin_key: key }).where('id', '=', id).execute();
}

export function lexiconNameTaken(db: Db, unitId: string, name: string, exceptId?: string) {
  return db
    .selectFrom('screening_lexicons')
    .select('id')
    .where('unit_id', '=', unitId)
    .where('name', '=', name)
    .$if(!!exceptId, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
}

/** Terms as they stood at `version` (the live ones when omitted). */
export function termsAt(db: Db, lexicon: Pick<LexiconRow, 'unit_id' | 'id'>, version?: number, page?: { q?: string; limit: number; offset: number }) {
  let q = db
    .selectFrom('screening_lexicon_terms')
    .select(['term', 'category', 'severity', 'context', 'added_version'])
    .where('unit_id', '=', lexicon.unit_id)
    .where('lexicon_id', '=', lexicon.id);
  if (version === undefined) q = q.where('removed_version', 'is', null);
  else q = q.where('added_version', '<=', version).where((eb) => eb.or([eb('removed_version', 'is', null), eb('removed_version', '>', version)]));
  if (page?.q) q = q.where('term', 'like', `%${page.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  q = q.orderBy('term');
  if (page) q = q.limit(page.limit).offset(page.offset);
  return q.execute();
}

export async function countTerms(db: Db, lexicon: Pick<LexiconRow, 'unit_id' | 'id'>, q?: string) {
  const row = await db
    .selectFrom('screening_lexicon_terms')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('unit_id', '=', lexicon.unit_id)
    .where('lexicon_id', '=', lexicon.id)
    .where('removed_version', 'is', null)
    .$if(!!q, (qb) => qb.where('term', 'like', `%${q!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function liveTermsNamed(db: Db, lexicon: Pick<LexiconRow, 'unit_id' | 'id'>, terms: string[]) {
  if (!terms.length) return Promise.resolve([]);
  return db
    .selectFrom('screening_lexicon_terms')
    .select(['id', 'term', 'category', 'severity'])
    .where('unit_id', '=', lexicon.unit_id)
    .where('lexicon_id', '=', lexicon.id)
    .where('removed_version', 'is', null)
    .where('term', 'in', terms)
    .execute();
}

export async function retireTerms(db: Db, unitId: string, ids: string[], version: number) {
  for (let i = 0; i < ids.length; i += 5000) {
    await db.updateTable('screening_lexicon_terms').set({ removed_version: version }).where('unit_id', '=', unitId).where('id', 'in', ids.slice(i, i + 5000)).execute();
  }
}

export async function retireAllTerms(db: Db, lexicon: Pick<LexiconRow, 'unit_id' | 'id'>, version: number) {
  const res = await db
    .updateTable('screening_lexicon_terms')
    .set({ removed_version: version })
    .where('unit_id', '=', lexicon.unit_id)
    .where('lexicon_id', '=', lexicon.id)
    .where('removed_version', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function insertTerms(db: Db, lexicon: Pick<LexiconRow, 'unit_id' | 'id'>, terms: TermInput[], version: number) {
  // Chunks keep each statement under PostgreSQL's 65 535 parameters.
  for (let i = 0; i < terms.length; i += 5000) {
    await db
      .insertInto('screening_lexicon_terms')
      .values(terms.slice(i, i + 5000).map((t) => ({ unit_id: lexicon.unit_id, lexicon_id: lexicon.id, term: t.term, category: t.category, severity: t.severity, context: t.context ? JSON.stringify(t.context) : null, added_version: version })))
      .execute();
  }
}

export function insertVersion(db: Db, v: { unitId: string; lexiconId: string; version: number; note: string | null; added: number; removed: number; userId: string | null }) {
  return db
    .insertInto('screening_lexicon_versions')
    .values({ unit_id: v.unitId, lexicon_id: v.lexiconId, version: v.version, note: v.note, added: v.added, removed: v.removed, changed_by: v.userId })
    .execute();
}

export function versionsOf(db: Db, lexicon: Pick<LexiconRow, 'unit_id' | 'id'>) {
  return db
    .selectFrom('screening_lexicon_versions as v')
    .leftJoin('users as u', 'u.id', 'v.changed_by')
    .select(['v.version', 'v.note', 'v.added', 'v.removed', 'v.changed_by', 'u.display_name as changed_by_name', 'v.changed_at'])
    .where('v.unit_id', '=', lexicon.unit_id)
    .where('v.lexicon_id', '=', lexicon.id)
    .orderBy('v.version', 'desc')
    .execute();
}

// ---- allow-lists ----

export function allAllowTerms(db: Db) {
  return db.selectFrom('screening_allow_terms').select(['unit_id', 'term']).execute();
}

export function allowTermsOf(db: Db, unitId: string) {
  return db.selectFrom('screening_allow_terms').selectAll().where('unit_id', '=', unitId).orderBy('term').execute();
}

export async function addAllowTerms(db: Db, unitId: string, scope: ScreeningScope, terms: string[], note: string | null, userId: string | null) {
  if (!terms.length) return 0;
  const rows = await db
    .insertInto('screening_allow_terms')
    .values(terms.map((term) => ({ unit_id: unitId, scope, term, note, created_by: userId })))
    .onConflict((oc) => oc.columns(['unit_id', 'term']).doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

export async function removeAllowTerms(db: Db, unitId: string, terms: string[]) {
  if (!terms.length) return 0;
  const res = await db.deleteFrom('screening_allow_terms').where('unit_id', '=', unitId).where('term', 'in', terms).executeTakeFirst();
  return Number(res.numDeletedRows);
}

// ---- 「不是问题」 proposals ----

export function insertProposal(db: Db, p: { unitId: string; term: string; rule: string; excerpt: string | null; note: string | null; userId: string }) {
  return db
    .insertInto('screening_allow_proposals')
    .values({ unit_id: p.unitId, term: p.term, rule: p.rule, excerpt: p.excerpt, note: p.note, proposed_by: p.userId })
    .onConflict((oc) => oc.columns(['unit_id', 'term']).where('status', '=', 'pending').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function listProposals(db: Db, unitId: string, status?: 'pending' | 'approved' | 'rejected') {
  return db
    .selectFrom('screening_allow_proposals as p')
    .leftJoin('users as u', 'u.id', 'p.proposed_by')
    .selectAll('p')
    .select('u.display_name as proposed_by_name')
    .where('p.unit_id', '=', unitId)
    .$if(!!status, (q) => q.where('p.status', '=', status!))
    .orderBy('p.id', 'desc')
    .limit(200)
    .execute();
}

export function lockProposal(db: Db, unitId: string, id: string) {
  return db.selectFrom('screening_allow_proposals').selectAll().where('unit_id', '=', unitId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function decideProposal(db: Db, unitId: string, id: string, status: 'approved' | 'rejected', userId: string) {
  return db
    .updateTable('screening_allow_proposals')
    .set({ status, decided_by: userId, decided_at: new Date() })
    .where('unit_id', '=', unitId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- wording packs ----

export function allPacks(db: Db) {
  return db.selectFrom('screening_wording_packs').selectAll().execute();
}

export function packsFor(db: Db, unitIds: string[]) {
  return db.selectFrom('screening_wording_packs').selectAll().where('unit_id', 'in', unitIds).orderBy('scope').orderBy('name').execute();
}

export function findPack(db: Db, id: string) {
  return db.selectFrom('screening_wording_packs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findBuiltinPack(db: Db, key: string) {
  return db.selectFrom('screening_wording_packs').select('id').where('builtin_key', '=', key).executeTakeFirst();
}

export function packNameTaken(db: Db, unitId: string, name: string, exceptId?: string) {
  return db
    .selectFrom('screening_wording_packs')
    .select('id')
    .where('unit_id', '=', unitId)
    .where('name', '=', name)
    .$if(!!exceptId, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
}

export function insertPack(db: Db, p: { unitId: string; scope: ScreeningScope; name: string; rules: unknown; builtinKey?: string | null; userId: string | null }) {
  return db
    .insertInto('screening_wording_packs')
    .values({ unit_id: p.unitId, scope: p.scope, name: p.name, rules: JSON.stringify(p.rules), builtin_key: p.builtinKey ?? null, updated_by: p.userId })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updatePack(db: Db, id: string, fields: { name?: string; rules?: unknown; enabled?: boolean; userId: string | null }) {
  return db
    .updateTable('screening_wording_packs')
    .set({
      ...(fields.name === undefined ? {} : { name: fields.name }),
      ...(fields.enabled === undefined ? {} : { enabled: fields.enabled }),
      ...(fields.rules === undefined ? {} : { rules: JSON.stringify(fields.rules) }),
      version: sql`version + 1`,
      updated_by: fields.userId,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function deletePack(db: Db, id: string) {
  return db.deleteFrom('screening_wording_packs').where('id', '=', id).execute();
}

// ---- patrol alerts ----

export interface NewAlert {
  unit_id: string;
  item_id: string;
  fingerprint: string;
  rule: string;
  severity: TermSeverity;
  message: string;
  field: 'title' | 'body';
  start_offset: number | null;
  end_offset: number | null;
  excerpt: string | null;
}

/** Inserts the alerts not raised before (same item, rule and position); returns the new ones. */
export function insertAlerts(db: Db, alerts: NewAlert[]) {
  if (!alerts.length) return Promise.resolve([] as AlertRow[]);
  return db
    .insertInto('screening_alerts')
    .values(alerts)
    .onConflict((oc) => oc.columns(['unit_id', 'item_id', 'fingerprint']).doNothing())
    .returningAll()
    .execute();
}

export function listAlerts(db: Db, unitId: string, f: { status?: 'open' | 'resolved'; itemId?: string; limit: number; offset: number }) {
  return db
    .selectFrom('screening_alerts as a')
    .selectAll('a')
    .where('a.unit_id', '=', unitId)
    .$if(!!f.status, (q) => q.where('a.status', '=', f.status!))
    .$if(!!f.itemId, (q) => q.where('a.item_id', '=', f.itemId!))
    .orderBy('a.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
}

export function findAlert(db: Db, unitId: string, id: string) {
  return db.selectFrom('screening_alerts').selectAll().where('unit_id', '=', unitId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function resolveAlert(db: Db, unitId: string, id: string, userId: string, resolution: string | null) {
  return db
    .updateTable('screening_alerts')
    .set({ status: 'resolved', resolved_by: userId, resolved_at: new Date(), resolution })
    .where('unit_id', '=', unitId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
