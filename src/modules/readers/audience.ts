import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database, IdSubquery } from '../../platform/db/tables.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ConsentPurpose } from './tables.ts';

/** An expression over one reader, `r`, for the asking module to add its own conditions (push: an address). */
export type ReaderEb = ExpressionBuilder<Database & { r: Database['readers'] }, 'r'>;

export interface AudienceCriteria {
  /** The purpose whose newest answer must be a grant: consent is the law's condition for any audience. */
  consent: ConsentPurpose;
  /** Readers registered at, or following, one of these units; null = the whole alliance. */
  scope: IdSubquery<'id'> | null;
  /** Home county codes, any of them. */
  homeDivisions?: string[] | null;
  /** Any of these interests (the reader's own profile list). */
  interests?: string[];
  /** At least one event since then. */
  activeSince?: Date | null;
  /** At least `count` distinct stories read since `since`. */
  minReads?: { count: number; since: Date } | null;
}

/**
 * The readers that match, as a one-column query (`id`): the fragment another module builds an audience on
 * without naming the readers module's tables. `also` adds the asking module's own conditions on `r`.
 */
export function readerAudience(db: Db, c: AudienceCriteria, also: (eb: ReaderEb) => Expression<SqlBool>[]) {
  return db
    .selectFrom('readers as r')
    .select('r.id')
    .where((eb: ReaderEb) => {
      const and: Expression<SqlBool>[] = [
        // The newest answer is the one in force (reader_consents_reader_idx serves this).
        eb(
          eb
            .selectFrom('reader_consents as c')
            .select('c.granted')
            .whereRef('c.reader_id', '=', 'r.id')
            .where('c.purpose', '=', c.consent)
            .orderBy('c.id', 'desc')
            .limit(1),
          '=',
          true,
        ),
        ...also(eb),
      ];
      if (c.scope) {
        and.push(
          eb.or([
            eb('r.registered_unit_id', 'in', c.scope),
            eb.exists(eb.selectFrom('reader_follows as f').select('f.reader_id').whereRef('f.reader_id', '=', 'r.id').where('f.unit_id', 'in', c.scope)),
          ]),
        );
      }
      if (c.homeDivisions) and.push(eb('r.home_division_code', 'in', c.homeDivisions));
      if (c.interests?.length) and.push(sql<boolean>`r.interests && ${sql.val(c.interests)}::text[]`);
      if (c.activeSince) {
        const since = c.activeSince;
        and.push(eb.exists(eb.selectFrom('reader_events as e').select('e.reader_id').whereRef('e.reader_id', '=', 'r.id').where('e.occurred_at', '>=', since)));
      }
      if (c.minReads) {
        const reads = eb
          .selectFrom('reader_events as e')
          .select(sql<number>`count(distinct e.item_id)`.as('n'))
          .whereRef('e.reader_id', '=', 'r.id')
          .where('e.type', '=', 'read')
          .where('e.occurred_at', '>=', c.minReads.since);
        and.push(eb(reads, '>=', c.minReads.count));
      }
      return eb.and(and);
    });
}
