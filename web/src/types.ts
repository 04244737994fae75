/** The shapes the API answers with (the TypeBox schemas in src/modules/<module>/schema.ts on the server). */

export const roles = ['reporter', 'editor', 'chief_editor', 'unit_admin', 'supervisor', 'alliance_admin'] as const;
export type Role = (typeof roles)[number];

export const unitKinds = ['province', 'founder', 'city', 'county', 'zone', 'department'] as const;
export type UnitKind = (typeof unitKinds)[number];

export interface Unit {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  name: string;
  divisionCode: string | null;
  divisionName: string | null;
  depth: number;
  active: boolean;
  memberCount?: number;
  createdAt: string;
  updatedAt: string;
}

export interface Membership {
  unitId: string;
  unitName: string;
  unitKind: UnitKind;
  role: Role;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  active: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  memberships: Membership[];
}

export interface Session {
  user: User;
  activeUnitId: string;
  role: Role;
  csrfToken: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  unitId: string;
  unitName: string;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface ApiToken {
  id: string;
  unitId: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface ListOf<T> {
  items: T[];
}
