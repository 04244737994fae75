import type { InvitationView, MembershipWithUnit } from '../alliance/repo.ts';
import type { AuditEntryDto, InvitationDto, TokenDto, UserDto } from './schema.ts';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

interface UserWithMemberships {
  id: string;
  username: string;
  display_name: string;
  active: boolean;
  last_login_at: Date | string | null;
  created_at: Date | string;
  memberships: MembershipWithUnit[];
}

export function presentUser(u: UserWithMemberships): UserDto {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    active: u.active,
    lastLoginAt: isoOrNull(u.last_login_at),
    createdAt: iso(u.created_at),
    memberships: u.memberships.map((m) => ({ unitId: m.unit_id, unitName: m.unit_name, unitKind: m.unit_kind, role: m.role })),
  };
}

export function presentToken(t: {
  id: string;
  unit_id: string;
  name: string;
  prefix: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  last_used_at: Date | string | null;
}): TokenDto {
  return {
    id: t.id,
    unitId: t.unit_id,
    name: t.name,
    prefix: t.prefix,
    createdAt: iso(t.created_at),
    expiresAt: isoOrNull(t.expires_at),
    lastUsedAt: isoOrNull(t.last_used_at),
  };
}

export function presentAudit(a: {
  id: number;
  at: Date | string;
  unit_id: string;
  unit_name: string;
  actor_user_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}): AuditEntryDto {
  return {
    id: Number(a.id),
    at: iso(a.at),
    unitId: a.unit_id,
    unitName: a.unit_name,
    actorUserId: a.actor_user_id,
    actorName: a.actor_name,
    action: a.action,
    targetType: a.target_type,
    targetId: a.target_id,
    before: redact(a.before),
    after: redact(a.after),
    requestId: a.request_id,
  };
}

/** Audit rows keep what changed, never secrets that happened to sit in the row. */
function redact(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value ?? null;
  const { password_hash: _p, token_hash: _t, csrf_token: _c, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** An invitation names the unit and the username the inviter typed; nothing of the invitee's profile. */
export function presentInvitation(i: InvitationView): InvitationDto {
  return {
    id: i.id,
    unitId: i.unit_id,
    unitName: i.unit_name,
    username: i.username,
    role: i.role,
    status: i.status,
    invitedByName: i.invited_by_name,
    createdAt: iso(i.created_at),
    expiresAt: iso(i.expires_at),
  };
}
