import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AuditRecorder } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AllianceService } from '../alliance/service.ts';
import { SYSTEM_USER_ID } from '../identity/system.ts';
import { parseWordingPack } from './checks/index.ts';
import { loadHoubbLexicon } from './lexicon/index.ts';
import { dedupeTerms } from './lexicons.service.ts';
import * as repo from './repo.ts';

const HOUBB_KEY = 'houbb';
/** The houbb lexicon with tiers and context rules (gen-tiers.ts); a lexicon seeded before is re-imported once as a new version. */
const HOUBB_TIERED_KEY = 'houbb@tiers-1';
const STARTER_KEY = 'wording-starter';
const dataFile = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

/** The default alliance lexicon and starter wording pack, each seeded once however many processes race. */
export async function seedDefaults(db: Db, alliance: AllianceService, audit: AuditRecorder) {
  const root = await alliance.findRoot();
  if (!root) return;
  const tieredTerms = () => dedupeTerms(loadHoubbLexicon().terms.map((t) => ({ term: t.term, category: t.category, severity: t.severity, context: t.context ?? null })));
  const untiered = await repo.findBuiltinLexicon(db, HOUBB_KEY);
  if (untiered) {
    const terms = tieredTerms();
    await db.transaction().execute(async (trx) => {
      const locked = await repo.lockLexicon(trx, untiered.id);
      if (!locked || locked.builtin_key !== HOUBB_KEY) return; // another process upgraded it first
      const version = locked.version + 1;
      await repo.retireAllTerms(trx, locked, version);
      await repo.insertTerms(trx, locked, terms, version);
      await repo.updateLexicon(trx, locked.id, { version, userId: SYSTEM_USER_ID });
      await repo.setBuiltinKey(trx, locked.id, HOUBB_TIERED_KEY);
      await repo.insertVersion(trx, { unitId: locked.unit_id, lexiconId: locked.id, version, note: '按禁用 / 慎用 / 提示分级，常用词降级或加上下文规则', added: terms.length, removed: 0, userId: SYSTEM_USER_ID });
      await repo.bumpGeneration(trx);
      await audit(trx, { actorUserId: SYSTEM_USER_ID }, { unitId: locked.unit_id, action: 'screening.lexicon.seed', targetType: 'screening_lexicon', targetId: locked.id, before: { version: locked.version }, after: { version, terms: terms.length } });
    });
  }
  if (!untiered && !(await repo.findBuiltinLexicon(db, HOUBB_TIERED_KEY))) {
    const terms = tieredTerms();
    await db.transaction().execute(async (trx) => {
      const lexicon = await repo.insertLexicon(trx, {
        unitId: root.id,
        scope: 'alliance',
        name: '默认敏感词库（houbb）',
        description: 'houbb/sensitive-word 非政治类标签词库，联合体通用',
        builtinKey: HOUBB_TIERED_KEY,
        userId: SYSTEM_USER_ID,
      });
      if (!lexicon) return; // another process seeded it first
      await repo.insertTerms(trx, lexicon, terms, 1);
      await repo.updateLexicon(trx, lexicon.id, { version: 1, userId: SYSTEM_USER_ID });
      await repo.insertVersion(trx, { unitId: root.id, lexiconId: lexicon.id, version: 1, note: '初始导入 / seeded', added: terms.length, removed: 0, userId: SYSTEM_USER_ID });
      await repo.bumpGeneration(trx);
      await audit(trx, { actorUserId: SYSTEM_USER_ID }, { unitId: root.id, action: 'screening.lexicon.seed', targetType: 'screening_lexicon', targetId: lexicon.id, after: { name: lexicon.name, terms: terms.length } });
    });
  }
  if (!(await repo.findBuiltinPack(db, STARTER_KEY))) {
    const parsed = parseWordingPack(fs.readFileSync(dataFile('./checks/data/wording-starter.json'), 'utf8'));
    await db.transaction().execute(async (trx) => {
      const pack = await repo.insertPack(trx, { unitId: root.id, scope: 'alliance', name: '规范表述（联合体通用）', rules: parsed.rules, builtinKey: STARTER_KEY, userId: SYSTEM_USER_ID });
      if (!pack) return;
      await repo.bumpGeneration(trx);
      await audit(trx, { actorUserId: SYSTEM_USER_ID }, { unitId: root.id, action: 'screening.wording_pack.seed', targetType: 'screening_wording_pack', targetId: pack.id, after: { name: pack.name, rules: parsed.rules.length } });
    });
  }
}
