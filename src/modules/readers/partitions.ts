/**
 * reader_events is partitioned by the alliance's calendar day (Asia/Shanghai, UTC+8 all year), so a
 * day's partition holds that day's reading in Sichuan and old days can be detached or dropped whole.
 */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

export interface PartitionBounds {
  /** reader_events_YYYYMMDD */
  name: string;
  day: string;
  from: string;
  to: string;
}

/** Days since 1970-01-01 in Shanghai: a cheap key for "which partition", computed per event. */
export const shanghaiDayNumber = (at: Date) => Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / 86_400_000);

export function partitionDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function partitionBounds(at: Date): PartitionBounds {
  const day = partitionDay(at);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { name: `reader_events_${day.replaceAll('-', '')}`, day, from: `${day} 00:00:00+08`, to: `${next} 00:00:00+08` };
}
