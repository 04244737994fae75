import type { Db } from '../../platform/db/database.ts';

/** What other modules may read of the unit tree directly, where a service call per row would not do. */

export function unitsByIds(db: Db, ids: readonly string[]) {
  return db.selectFrom('units').select(['id', 'name', 'division_code']).where('id', 'in', ids).execute();
}

export async function unitName(db: Db, unitId: string) {
  const row = await db.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirst();
  return row?.name ?? '';
}
