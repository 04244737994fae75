import type { Db } from './db/database.ts';

/** Who asked, from where: carried from the HTTP request (or the CLI) into every audit row. */
export interface AuditMeta {
  actorUserId: string | null;
  requestId?: string;
  ip?: string;
}

export interface AuditEntry {
  unitId: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Writes one audit row inside the caller's transaction, so the row and the change stand or fall
 * together. Modules receive it at construction; the identity module owns the table.
 */
export type AuditRecorder = (executor: Db, meta: AuditMeta, entry: AuditEntry) => Promise<void>;
