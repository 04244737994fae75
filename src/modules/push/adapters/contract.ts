import type { PushKind } from '../tables.ts';

/** What every push channel is given: one notification and the addresses to send it to. */
export interface PushMessage {
  campaignId: string;
  title: string;
  body: string;
  /** Where a tap goes (the open-tracking link, which redirects to the portal article). */
  url: string;
  urgent: boolean;
}

export interface PushTarget {
  /** push_registrations.id */
  registrationId: string;
  /** Web push endpoint, JPush registration_id or Getui cid. */
  address: string;
  keys?: { p256dh: string; auth: string } | null;
  /** This reader's own open-tracking link, where the channel sends one message per address. */
  url?: string;
}

export interface PushOutcome {
  registrationId: string;
  ok: boolean;
  error?: string;
  /** The platform says this address is dead (web push 404/410): the registration is removed. */
  gone?: boolean;
  remoteId?: string;
}

export type PushFailure = 'auth' | 'rate_limited' | 'retry' | 'rejected';

/** A whole call failed: every target in it failed for the same reason. */
export class PushError extends Error {
  constructor(
    readonly failure: PushFailure,
    message: string,
    readonly detail: { platformCode?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}

/** An app's settings and sealed-then-opened credentials (JPush appKey/masterSecret, Getui appId/appKey/masterSecret). */
export interface PushApp {
  id: string;
  kind: PushKind;
  config: Record<string, string>;
  secrets: Record<string, string>;
}

export interface PushAdapter {
  readonly kind: PushKind;
  /** Sends to every target (the adapter batches as its platform allows); throws PushError when a whole call fails. */
  send(app: PushApp | null, message: PushMessage, targets: PushTarget[]): Promise<PushOutcome[]>;
}

export const chunk = <T>(list: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

export function needSecret(values: Record<string, string>, key: string, kind: string): string {
  const v = values[key];
  if (!v) throw new PushError('auth', `${kind} 应用缺少设置「${key}」/ the ${kind} app lacks ${key}`);
  return v;
}
