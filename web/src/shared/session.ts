import { createContext, useContext } from 'react';
import type { Role, Session } from './types.ts';

/** The signed-in user, the active unit (chosen in the unit switcher) and the role held there. */
export interface SessionState {
  session: Session;
  /** Re-read GET /api/session, e.g. after the user's own memberships changed. */
  refresh(): Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in console');
  return value;
}

/** Roles that oversee a subtree: they see the staff and audit pages. */
export const overseerRoles: readonly Role[] = ['unit_admin', 'alliance_admin', 'supervisor'];
export const isOverseer = (role: Role) => overseerRoles.includes(role);
/** Roles that may change units and staff (supervisors only read). */
export const isAdmin = (role: Role) => role === 'unit_admin' || role === 'alliance_admin';
