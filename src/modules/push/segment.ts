import type { IdSubquery } from '../../platform/db/tables.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest } from '../../platform/http/problem.ts';
import { readerAudience, type ReaderEb } from '../readers/audience.ts';
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

/** Why a region value is not a division code, in words an editor can act on (a name typed instead of its code, say). */
function unknownRegion(value: string, i: number) {
  const named = [...divisions().values()].filter((d) => d.name === value.trim());
  const hint = named.length ? `（地区请填区划代码：${named.map((d) => (d.code === d.cityCode ? `${d.name} 是 ${d.code}` : `${d.cityName}${d.name} 是 ${d.code}`)).join('，')}）` : '';
  const hintEn = named.length ? ` (use the division code: ${named.map((d) => d.code).join(', ')})` : '';
  return badRequest('unknown_division', `没有这个行政区划：${value}${hint}`, `No such division: ${value}${hintEn}`, { field: `definition/regions/${i}` });
}

/** The county codes a region condition stands for; unknown codes are a 400 naming the field. */
export function expandRegions(codes: string[]): string[] {
  const out = new Set<string>();
  codes.forEach((code, i) => {
    const d = findDivision(code);
    if (!d) throw unknownRegion(code, i);
    out.add(code);
    if (d.cityCode === code) for (const c of divisions().values()) if (c.cityCode === code) out.add(c.code);
  });
  return [...out];
}

/**
 * The readers a definition selects, as a one-column query (`id`), within `scope` (readers registered at,
 * or following, one of those units; null = the whole alliance). `now` is injected so tests move time.
 */
export function audienceQuery(db: Db, def: SegmentDefinition, scope: IdSubquery<'id'> | null, now: Date) {
  const windowDays = def.activeWithinDays ?? (def.minReads ? DEFAULT_READ_WINDOW_DAYS : null);
  const since = windowDays ? new Date(now.getTime() - windowDays * DAY_MS) : null;
  const criteria = {
    consent: 'push' as const,
    scope,
    homeDivisions: def.regions?.length ? expandRegions(def.regions) : null,
    interests: def.interests,
    activeSince: since && def.activeWithinDays ? since : null,
    minReads: since && def.minReads ? { count: def.minReads, since } : null,
  };
  // A reader counts only when there is an address to push to.
  return readerAudience(db, criteria, (eb: ReaderEb) => [
    eb.exists(
      eb
        .selectFrom('push_registrations as g')
        .select('g.id')
        .whereRef('g.reader_id', '=', 'r.id')
        .$if(!!def.channels?.length, (q) => q.where('g.kind', 'in', def.channels!))
        .$if(!!def.apps?.length, (q) => q.where('g.app_id', 'in', def.apps!)),
    ),
  ]);
}

export async function countAudience(db: Db, def: SegmentDefinition, scope: IdSubquery<'id'> | null, now: Date): Promise<number> {
  const row = await db
    .selectFrom(audienceQuery(db, def, scope, now).as('a'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
