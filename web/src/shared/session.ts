import { createContext, useContext } from 'react';
import type { Session } from './types.ts';

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
