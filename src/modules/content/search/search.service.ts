import type { Db } from '../../../platform/db/database.ts';
import { item as itemRules, requireAccess, savedSearch } from '../../../policies/index.ts';
import { badRequest, conflict, notFound } from '../../../platform/http/problem.ts';
import type { Actor } from '../../../policies/index.ts';
import { presentItemSummary } from '../presenter.ts';
import { unitNames as unitNamesOf } from '../repo.ts';
import type { ContentItemRow, ItemStatus, ItemType, ShareScope } from '../tables.ts';
import { itemStatusLabels, itemTypeLabels, shareScopeLabels } from '../../../shared/labels.ts';
import { highlight, snippetFor } from './highlight.ts';
import { type IndexSource, indexVectors, parseQuery } from './index-text.ts';
import * as repo from './search.repo.ts';
import type { FacetName, SavedQuery, SavedSearchDto, SearchQueryInput, SearchResultDto } from './search.schema.ts';

const SAVED_SEARCH = { zh: '保存的检索', en: 'Saved search' };
/** Enough for anyone's standing searches; stops a runaway client filling the table. */
export const MAX_SAVED_SEARCHES = 100;


const facetOf: Record<FacetName, repo.FacetColumn> = {
  unit: 'unit_id',
  type: 'type',
  status: 'status',
  category: 'category',
  scope: 'share_scope',
  region: 'region_code',
};

/** An item for the index: the row as saved, or the searchable fields read back for a rebuild. */
export type Indexable = IndexSource & { id: string };

/**
 * 全文检索: keeps the index in step with the hub (a save listener inside each save's transaction)
 * and answers searches with filters, facets, highlighted snippets and saved searches.
 */
export class SearchService {
  constructor(private readonly db: Db) {}

  /** The save listener: registered with ContentService.onSave, runs in the save's transaction. */
  readonly write = async (trx: Db, item: ContentItemRow): Promise<void> => {
    await this.indexItems(trx, [item]);
  };

  /** Indexes items in one statement (bulk loads and rebuilds), in the caller's transaction if given. */
  async indexItems(db: Db, items: readonly Indexable[]): Promise<void> {
    await repo.writeIndex(
      db,
      items.map((item) => ({ itemId: item.id, ...indexVectors(item) })),
    );
  }

  /** Rebuilds the index of every item, a batch per transaction, reporting progress. */
  async reindex(progress: (done: number, total: number) => void = () => {}, batchSize = 200): Promise<number> {
    await repo.ensureSearchRows(this.db);
    const total = await repo.countItems(this.db);
    let done = 0;
    let after: string | null = null;
    for (;;) {
      const batch = await repo.itemsToIndex(this.db, after, batchSize);
      if (!batch.length) break;
      await this.db.transaction().execute((trx) => this.indexItems(trx, batch));
      done += batch.length;
      after = batch[batch.length - 1]!.id;
      progress(done, Math.max(total, done));
    }
    return done;
  }

  async search(actor: Actor, input: SearchQueryInput): Promise<SearchResultDto> {
    requireAccess(actor, itemRules.read);
    const text = input.q?.trim() ?? '';
    const parsed = text ? parseQuery(text) : null;
    if (text && !parsed) {
      throw badRequest('empty_query', '检索词需要包含文字或数字', 'The search needs at least one letter, digit or Chinese character');
    }
    if (input.from && input.to && new Date(input.from) >= new Date(input.to)) {
      throw badRequest('bad_range', '开始时间须早于结束时间', '"from" must be earlier than "to"');
    }
    const filter: repo.SearchFilter = {
      unitId: input.unitId,
      scope: input.scope,
      status: input.status,
      type: input.type,
      category: input.category,
      regionCode: input.regionCode,
      from: input.from,
      to: input.to,
      dateField: input.dateField ?? 'updated',
      authorId: input.authorId,
    };
    const sort = parsed ? (input.sort ?? 'relevance') : 'time';
    const match = parsed?.match ?? null;
    const wantFacets = input.facets ?? true;
    const page = { match, terms: parsed?.terms ?? [], sort, limit: input.limit ?? 20, offset: input.offset ?? 0 };
    const run = (db: Db) => repo.searchPageAndFacets(db, actor, filter, page, wantFacets);
    // With a text query, page and facets run in one transaction that keeps the planner on the index.
    const { rows, facets: facetRows, total } = match
      ? await this.db.transaction().execute(async (trx) => {
          await repo.preferIndexScans(trx);
          return run(trx);
        })
      : await run(this.db);

    const unitIds = new Set<string>();
    for (const r of rows) {
      unitIds.add(r.unit_id);
      if (r.origin_unit_id) unitIds.add(r.origin_unit_id);
    }
    for (const f of facetRows?.get('unit_id') ?? []) if (f.value) unitIds.add(f.value);
    const regionCodes = (facetRows?.get('region_code') ?? []).flatMap((f) => (f.value ? [f.value] : []));
    const [unitNames, regionNames] = await Promise.all([unitNamesOf(this.db, [...unitIds]), repo.regionLabels(this.db, regionCodes)]);

    const terms = parsed?.terms ?? [];
    const items = rows.map((r) => ({
      ...presentItemSummary(r, unitNames),
      snippet: snippetFor(r, terms),
      titleHighlight: highlight(r.title, terms, { maxChars: 200 }).html,
      score: Number(r.score),
    }));

    const label = (facet: FacetName, value: string): string => {
      switch (facet) {
        case 'unit':
          return unitNames.get(value) ?? value;
        case 'type':
          return itemTypeLabels[value as ItemType]?.[0] ?? value;
        case 'status':
          return itemStatusLabels[value as ItemStatus]?.[0] ?? value;
        case 'scope':
          return shareScopeLabels[value as ShareScope]?.[0] ?? value;
        case 'region':
          return regionNames.get(value) ?? value;
        case 'category':
          return value;
      }
    };
    const facets = {} as SearchResultDto['facets'];
    for (const [name, column] of Object.entries(facetOf) as [FacetName, repo.FacetColumn][]) {
      facets[name] = (facetRows?.get(column) ?? [])
        // Items without a category or region are not a value one can filter by.
        .filter((f): f is { value: string; count: number } => f.value !== null)
        .map((f) => ({ value: f.value, label: label(name, f.value), count: f.count }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    }
    return { total, items, facets };
  }

  // 保存的检索 ---------------------------------------------------------------------------------

  async listSaved(actor: Actor): Promise<SavedSearchDto[]> {
    requireAccess(actor, savedSearch.own);
    return (await repo.listSavedSearches(this.db, actor.userId)).map(presentSaved);
  }

  async save(actor: Actor, name: string, query: SavedQuery): Promise<SavedSearchDto> {
    requireAccess(actor, savedSearch.own);
    if (query.q?.trim() && !parseQuery(query.q)) {
      throw badRequest('empty_query', '检索词需要包含文字或数字', 'The search needs at least one letter, digit or Chinese character');
    }
    if ((await repo.countSavedSearches(this.db, actor.userId)) >= MAX_SAVED_SEARCHES) {
      throw conflict('too_many', `最多保存 ${MAX_SAVED_SEARCHES} 个检索，请先删除不用的`, `At most ${MAX_SAVED_SEARCHES} saved searches; delete one first`);
    }
    const row = await repo.insertSavedSearch(this.db, { unitId: actor.unitId, userId: actor.userId, name: name.trim(), query });
    return presentSaved(row);
  }

  async deleteSaved(actor: Actor, id: string): Promise<void> {
    requireAccess(actor, savedSearch.own);
    // Someone else's saved search answers like a missing one: its existence is not the caller's business.
    if (!(await repo.deleteSavedSearch(this.db, actor.userId, id))) throw notFound(SAVED_SEARCH, id);
  }
}

function presentSaved(row: { id: string; name: string; query: unknown; created_at: Date | string }): SavedSearchDto {
  return { id: row.id, name: row.name, query: row.query as SavedQuery, createdAt: new Date(row.created_at).toISOString() };
}
