import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Role, UnitKind } from './roles.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UnitsTable {
  id: Generated<string>;
  parent_id: string | null;
  kind: UnitKind;
  name: string;
  division_code: string | null;
  division_name: string | null;
  path: string;
  depth: number;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipsTable {
  unit_id: string;
  user_id: string;
  role: Role;
  created_at: Timestamp;
}

export interface AllianceTables {
  units: UnitsTable;
  memberships: MembershipsTable;
}

export type UnitRow = Selectable<UnitsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
