import type { AuditRecorder } from '../../../platform/audit.ts';
import type { Db } from '../../../platform/db/database.ts';
import type { Actor } from '../../../policies/index.ts';
import type { ActorContext } from '../../alliance/service.ts';
import { type Entities, entities, keywords, sichuanPlaceNames, simhash, summarize } from '../../nlp/index.ts';
import { item as itemRules, requireAccess } from '../../../policies/index.ts';
import type { ContentService } from '../service.ts';
import type { CategoryModels, CategorySuggestion, ModelInfo } from './category-model.ts';
import * as repo from './understanding.repo.ts';

/**
 * 稿件理解: what the machine reads out of an item after each save — keywords (TF-IDF with our own
 * stop words), named places (with division codes), people and organisations, an extractive summary,
 * a category suggested by the unit's own model, and a 64-bit SimHash for near-duplicates.
 *
 * Computed by a background job (content.understand, enqueued in the save's transaction), so a save
 * never waits for it. Stored in content_items.understanding without a revision and without touching
 * updated_at: it describes the item, it is not an edit of it.
 *
 * Editors correct it (PATCH /api/items/:id/understanding). Both are kept: `machine` is the latest
 * machine reading, `corrections` what editors set; the top-level fields are the effective values —
 * a correction where there is one, the machine's otherwise. Corrections survive later saves and
 * recomputations until an editor resets them, and `edited` says whether any is in force.
 */

/** Near-duplicate threshold for 64-bit SimHash: at most this many differing bits. */
export const NEAR_DUPLICATE_BITS = 3;

export interface EntityName {
  name: string;
  count?: number;
  /** Division code, for places matched to the gazetteer. */
  code?: string;
}

export interface UnderstandingEntities {
  places: EntityName[];
  people: EntityName[];
  organisations: EntityName[];
  others: EntityName[];
}

export interface MachineUnderstanding {
  keywords: { word: string; weight: number }[];
  entities: UnderstandingEntities;
  summary: string;
  category: CategorySuggestion | null;
  simhash: string;
  /** The item revision this was computed from. */
  revision: number;
  computedAt: string;
  /** Milliseconds the computation took. */
  ms: number;
  model: ModelInfo | null;
}

export const correctableFields = ['keywords', 'entities', 'summary', 'category'] as const;
export type CorrectableField = (typeof correctableFields)[number];

export interface Corrections {
  keywords?: { word: string }[];
  entities?: Partial<UnderstandingEntities>;
  summary?: string;
  category?: string;
  by?: string;
  at?: string;
}

export interface Understanding {
  keywords: { word: string; weight?: number }[];
  entities: UnderstandingEntities;
  summary: string;
  category: { label: string; probability: number | null; source: 'model' | 'editor' } | null;
  simhash: string | null;
  edited: boolean;
  editedFields: CorrectableField[];
  editedBy: string | null;
  editedAt: string | null;
  machine: MachineUnderstanding | null;
  corrections: Corrections;
}

export interface CorrectionInput {
  summary?: string;
  keywords?: string[];
  entities?: { places?: { name: string; code?: string }[]; people?: { name: string }[]; organisations?: { name: string }[]; others?: { name: string }[] };
  category?: string;
  /** Fields whose corrections are dropped, so the machine's value shows again. */
  reset?: CorrectableField[];
}

/** The text SimHash, keywords and the classifier read: headline, subtitle, body. */
export function itemText(item: { title: string; subtitle?: string | null; body_text: string }): string {
  return [item.title, item.subtitle ?? '', item.body_text].filter(Boolean).join('\n');
}

/** The item fingerprint ingest and understanding share, so an ingested item and its reading agree. */
export function contentFingerprint(item: { title: string; subtitle?: string | null; body_text: string }): string {
  return simhash(itemText(item));
}

let placeNames: ReturnType<typeof sichuanPlaceNames> | null = null;

function toEntities(found: Entities): UnderstandingEntities {
  const names = (list: { name: string; count: number }[]) => list.slice(0, 20).map(({ name, count }) => ({ name, count }));
  return {
    places: found.places.slice(0, 20).map((p) => ({ name: p.name, count: p.count, ...(p.code ? { code: p.code } : {}) })),
    people: names(found.people),
    organisations: names(found.organisations),
    others: names(found.others),
  };
}

/** The effective values: each correction over the machine's reading. */
export function compose(machine: MachineUnderstanding | null, corrections: Corrections): Understanding {
  const editedFields = correctableFields.filter((f) => corrections[f] !== undefined);
  const emptyEntities: UnderstandingEntities = { places: [], people: [], organisations: [], others: [] };
  const machineCategory = machine?.category ? { label: machine.category.label, probability: machine.category.probability, source: 'model' as const } : null;
  return {
    keywords: corrections.keywords ?? machine?.keywords ?? [],
    entities: { ...(machine?.entities ?? emptyEntities), ...(corrections.entities ?? {}) },
    summary: corrections.summary ?? machine?.summary ?? '',
    category: corrections.category !== undefined ? { label: corrections.category, probability: null, source: 'editor' } : machineCategory,
    simhash: machine?.simhash ?? null,
    edited: editedFields.length > 0,
    editedFields,
    editedBy: editedFields.length ? (corrections.by ?? null) : null,
    editedAt: editedFields.length ? (corrections.at ?? null) : null,
    machine,
    corrections,
  };
}

function storedCorrections(stored: unknown): Corrections {
  if (stored && typeof stored === 'object' && 'corrections' in stored) {
    const c = (stored as { corrections: unknown }).corrections;
    if (c && typeof c === 'object') return c as Corrections;
  }
  return {};
}

export class UnderstandingService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRecorder,
    private readonly content: ContentService,
    private readonly models: CategoryModels,
  ) {}

  /** The machine's reading of an item as it is now (pure computation plus the unit's model). */
  async read(item: { unit_id: string; title: string; subtitle: string | null; body_text: string; revision: number }): Promise<MachineUnderstanding> {
    const started = performance.now();
    const text = itemText(item);
    placeNames ??= sichuanPlaceNames();
    const { suggestion, model } = await this.models.suggest(item.unit_id, text);
    return {
      keywords: keywords(text, 10).map((k) => ({ word: k.word, weight: Math.round(k.weight * 1000) / 1000 })),
      entities: toEntities(entities(text, placeNames)),
      summary: item.body_text.trim() ? summarize(item.body_text, { maxChars: 150 }) : '',
      category: suggestion,
      simhash: simhash(text),
      revision: item.revision,
      computedAt: new Date().toISOString(),
      ms: Math.round(performance.now() - started),
      model,
    };
  }

  /** The job: read the item, compute, store. A deleted item is skipped; a stale revision is left to the newer job. */
  async understand(itemId: string): Promise<{ itemId: string; outcome: 'done' | 'gone' | 'stale'; ms?: number }> {
    const item = await repo.findItem(this.db, itemId);
    if (!item) return { itemId, outcome: 'gone' };
    const machine = await this.read(item);
    const saved = await this.db.transaction().execute(async (trx) => {
      const locked = await repo.lockItem(trx, itemId);
      if (!locked) return false;
      const understanding = compose(machine, storedCorrections(locked.understanding));
      return repo.saveUnderstanding(trx, itemId, item.revision, understanding, machine.simhash);
    });
    return { itemId, outcome: saved ? 'done' : 'stale', ms: machine.ms };
  }

  /** The item's understanding as stored (null until the job has run). */
  async get(actor: Actor, id: string): Promise<Understanding | null> {
    const item = await this.content.get(actor, id);
    return (item.understanding as Understanding | null) ?? null;
  }

  /** Stores an editor's corrections (audited); computes the machine reading first if the job has not run yet. */
  async correct(ctx: ActorContext, id: string, input: CorrectionInput): Promise<Understanding> {
    const item = await this.content.get(ctx.actor, id);
    requireAccess(ctx.actor, itemRules.correctUnderstanding, item);
    // The machine reading reads the database too: on the embedded database it must run before the
    // transaction takes the only connection.
    const computed = (item.understanding as Understanding | null)?.machine ?? (await this.read(item));
    return this.db.transaction().execute(async (trx) => {
      const locked = await repo.lockItem(trx, id);
      const stored = (locked?.understanding as Understanding | null) ?? null;
      const machine = stored?.machine ?? computed;
      const before = storedCorrections(stored);
      const corrections: Corrections = { ...before };
      for (const field of input.reset ?? []) delete corrections[field];
      if (input.summary !== undefined) corrections.summary = input.summary.trim();
      if (input.keywords !== undefined) corrections.keywords = [...new Set(input.keywords.map((k) => k.trim()).filter(Boolean))].map((word) => ({ word }));
      if (input.entities !== undefined) {
        const clean = (list?: { name: string; code?: string }[]) =>
          list?.map((e) => ({ name: e.name.trim(), ...(e.code ? { code: e.code } : {}) })).filter((e) => e.name);
        corrections.entities = { ...(corrections.entities ?? {}) };
        for (const kind of ['places', 'people', 'organisations', 'others'] as const) {
          const list = clean(input.entities[kind]);
          if (list) corrections.entities[kind] = list;
        }
      }
      if (input.category !== undefined) corrections.category = input.category.trim();
      corrections.by = ctx.actor.userId;
      corrections.at = new Date().toISOString();
      const understanding = compose(machine, corrections);
      await repo.saveCorrections(trx, id, understanding);
      const { by: _b, at: _a, ...beforeFields } = before;
      const { by: _b2, at: _a2, ...afterFields } = corrections;
      await this.audit(trx, ctx, {
        unitId: item.unit_id,
        action: 'content.understanding.correct',
        targetType: 'content_item',
        targetId: id,
        before: beforeFields,
        after: afterFields,
      });
      return understanding;
    });
  }

  /** Items the caller can see within NEAR_DUPLICATE_BITS of this one's SimHash, nearest first. */
  async duplicates(actor: Actor, id: string) {
    const item = await this.content.get(actor, id);
    const fingerprint = item.simhash ?? contentFingerprint(item);
    if (fingerprint === repo.ZERO_FINGERPRINT) return { simhash: fingerprint, items: [] };
    const rows = await repo.nearDuplicates(this.db, actor, id, fingerprint, NEAR_DUPLICATE_BITS);
    return { simhash: fingerprint, items: rows };
  }
}
