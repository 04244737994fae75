import type { Db } from '../../platform/db/database.ts';
import type { ContentItemRow } from '../content/tables.ts';
import type { Finding } from './tables.ts';

/** SQL of the automatic checks' results, one row per item revision. */

type Revision = Pick<ContentItemRow, 'unit_id' | 'id' | 'revision'>;

/** A later run for the same revision (the next approval) replaces the earlier one. */
export async function saveCheckResult(db: Db, item: Revision, findings: Finding[]) {
  const values = { findings: JSON.stringify(findings), checked_at: new Date() };
  await db
    .insertInto('check_results')
    .values({ unit_id: item.unit_id, item_id: item.id, revision: item.revision, ...values })
    .onConflict((oc) => oc.columns(['unit_id', 'item_id', 'revision']).doUpdateSet(values))
    .execute();
}

export async function findCheckResult(db: Db, item: Revision): Promise<Finding[] | null> {
  const row = await db
    .selectFrom('check_results')
    .select('findings')
    .where('unit_id', '=', item.unit_id)
    .where('item_id', '=', item.id)
    .where('revision', '=', item.revision)
    .executeTakeFirst();
  return row?.findings ?? null;
}
