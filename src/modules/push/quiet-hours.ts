/**
 * 免打扰: no pushes from 22:00 to 08:00 Asia/Shanghai unless a campaign is marked urgent; a send that
 * falls inside is deferred to 08:00. China has no daylight saving, so the offset is a constant.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const QUIET_START_HOUR = 22;
export const QUIET_END_HOUR = 8;

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export function inQuietHours(at: Date): boolean {
  const hour = new Date(at.getTime() + SHANGHAI_OFFSET_MS).getUTCHours();
  return hour >= QUIET_START_HOUR || hour < QUIET_END_HOUR;
}

/** When a campaign wanted at `at` may go: `at` itself, or the end of the quiet hours it falls in. */
export function earliestSend(at: Date, urgent: boolean): Date {
  if (urgent || !inQuietHours(at)) return at;
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const end = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), QUIET_END_HOUR);
  const endLocal = local.getUTCHours() >= QUIET_START_HOUR ? end + 86_400_000 : end;
  return new Date(endLocal - SHANGHAI_OFFSET_MS);
}
