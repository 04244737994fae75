import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database, IdSubquery } from '../../platform/db/tables.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/problem.ts';
import { divisions, findDivision } from '../readers/divisions.ts';
import type { PushKind } from './tables.ts';

/**
 * A segment is a conjunction of conditions; an empty condition is "anyone". Every segment also requires
 * what the law and the channels require: the push consent in force, and at least one address to push to.
 */
export interface SegmentDefinition {
  /** Home division: a prefecture code (all its counties) or a county code. Any of them. */
  regions?: string[];
  /** Any of these interests (the reader's own profile list). */
  interests?: string[];
  /** At least one event in the last N days. */
  activeWithinDays?: number;
  /** At least K stories read (distinct) in the activity window (30 days when no window is given). */
  minReads?: number;
  /** Reachable on one of these channels. */
  channels?: PushKind[];
  /** Reachable in one of these apps (push_apps ids; JPush/Getui registrations). */
  apps?: string[];
}

const DAY_MS = 86_400_000;
const DEFAULT_READ_WINDOW_DAYS = 30;

/** The county codes a region condition stands for; unknown codes are a 400 naming the field. */
export function expandRegions(codes: string[]): string[] {
  const out = new Set<string>();
  codes.forEach((code, i) => {
    const d = findDivision(code);
    if (!d) throw badRequest('unknown_division', `没有这个行政区划：${code}`, `No such division: ${code}`, { field: `definition/regions/${i}` });
    out.add(code);
    if (d.cityCode === code) for (const c of divisions().values()) if (c.cityCode === code) out.add(c.code);
  });
  return [...out];
}

type ReaderEb = ExpressionBuilder<Database & { r: Database['readers'] }, 'r'>;

/**
 * The readers a definition selects, as a one-column query (`id`), within `scope` (readers registered at,
 * or following, one of those units; null = the whole alliance). `now` is injected so tests move time.
 */
export function audienceQuery(db: Db, def: SegmentDefinition, scope: IdSubquery<'id'> | null, now: Date) {
  const regions = def.regions?.length ? expandRegions(def.regions) : null;
  const windowDays = def.activeWithinDays ?? (def.minReads ? DEFAULT_READ_WINDOW_DAYS : null);
  const since = windowDays ? new Date(now.getTime() - windowDays * DAY_MS) : null;
  return db
    .selectFrom('readers as r')
    .select('r.id')
    .where((eb: ReaderEb) => {
      const and: Expression<SqlBool>[] = [
        // The newest push answer is the one in force (reader_consents_reader_idx serves this).
        eb(
          eb
            .selectFrom('reader_consents as c')
            .select('c.granted')
            .whereRef('c.reader_id', '=', 'r.id')
            .where('c.purpose', '=', 'push')
            .orderBy('c.id', 'desc')
            .limit(1),
          '=',
          true,
        ),
        eb.exists(
          eb
            .selectFrom('push_registrations as g')
            .select('g.id')
            .whereRef('g.reader_id', '=', 'r.id')
            .$if(!!def.channels?.length, (q) => q.where('g.kind', 'in', def.channels!))
            .$if(!!def.apps?.length, (q) => q.where('g.app_id', 'in', def.apps!)),
        ),
      ];
      if (scope) {
        and.push(
          eb.or([
            eb('r.registered_unit_id', 'in', scope),
            eb.exists(eb.selectFrom('reader_follows as f').select('f.reader_id').whereRef('f.reader_id', '=', 'r.id').where('f.unit_id', 'in', scope)),
          ]),
        );
      }
      if (regions) and.push(eb('r.home_division_code', 'in', regions));
      if (def.interests?.length) and.push(sql<boolean>`r.interests && ${sql.val(def.interests)}::text[]`);
      if (since && def.activeWithinDays) {
        and.push(
          eb.exists(eb.selectFrom('reader_events as e').select('e.reader_id').whereRef('e.reader_id', '=', 'r.id').where('e.occurred_at', '>=', since)),
        );
      }
      if (since && def.minReads) {
        const reads = eb
          .selectFrom('reader_events as e')
          .select(sql<number>`count(distinct e.item_id)`.as('n'))
          .whereRef('e.reader_id', '=', 'r.id')
          .where('e.type', '=', 'read')
          .where('e.occurred_at', '>=', since);
        and.push(eb(reads, '>=', def.minReads));
      }
      return eb.and(and);
    });
}

export async function countAudience(db: Db, def: SegmentDefinition, scope: IdSubquery<'id'> | null, now: Date): Promise<number> {
  const row = await db
    .selectFrom(audienceQuery(db, def, scope, now).as('a'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
