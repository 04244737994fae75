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

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'cancelled' | 'expired';

/** 邀请加入单位: an offer of a role in a unit to an existing account, which only that person accepts. */
export interface MembershipInvitationsTable {
  unit_id: string;
  id: Generated<string>;
  user_id: string;
  role: Role;
  status: Generated<InvitationStatus>;
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  decided_at: Timestamp | null;
}

export interface AllianceTables {
  units: UnitsTable;
  memberships: MembershipsTable;
  membership_invitations: MembershipInvitationsTable;
}

export type UnitRow = Selectable<UnitsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type InvitationRow = Selectable<MembershipInvitationsTable>;
