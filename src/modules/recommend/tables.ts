import type { ColumnType } from 'kysely';
import type { StoredProfile } from './profile.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Migration 0015. */
export interface RecommendTables {
  rec_profiles: { subject: string; profile: ColumnType<StoredProfile, string, string>; decayed_at: Timestamp; updated_at: ColumnType<Date, Date | string | undefined, Date | string> };
  rec_reads: { subject: string; item_id: string; read_at: Timestamp };
  rec_coreads: { item_a: string; item_b: string; n: number };
  rec_popularity: { item_id: string; score: number; decayed_at: Timestamp };
  rec_pins: {
    unit_id: string;
    item_id: string;
    slot: number | null;
    note: string | null;
    created_by: string;
    created_at: ColumnType<Date, Date | string | undefined, Date | string>;
    expires_at: Timestamp | null;
  };
  rec_cursor: { name: string; received_at: Timestamp; event_id: string };
}
