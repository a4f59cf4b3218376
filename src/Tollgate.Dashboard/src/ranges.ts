// Time ranges of the overview and the request log, in UTC like the ledger.

export type RangeId = '24h' | '7d' | '30d' | 'month';

export const rangeLabels: Record<RangeId, string> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  month: 'This month (UTC)',
};

export interface Range {
  from: Date;
  to: Date;
  bucket: 'hour' | 'day';
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The range ending now, its start on a bucket boundary so every bucket is whole. */
export function range(id: RangeId, now = new Date()): Range {
  const to = new Date(Math.ceil(now.getTime() / HOUR) * HOUR);
  switch (id) {
    case '24h':
      return { from: new Date(to.getTime() - 24 * HOUR), to, bucket: 'hour' };
    case '7d':
      return { from: new Date(to.getTime() - 7 * DAY), to, bucket: 'hour' };
    case '30d': {
      const end = new Date(Math.ceil(now.getTime() / DAY) * DAY);
      return { from: new Date(end.getTime() - 30 * DAY), to: end, bucket: 'day' };
    }
    case 'month': {
      const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
      return { from, to: end, bucket: 'day' };
    }
  }
}

/** Every bucket start in the range, as the API writes them ("2026-11-24T12:00:00Z"). */
export function bucketStarts(r: Range): string[] {
  const step = r.bucket === 'hour' ? HOUR : DAY;
  const out: string[] = [];
  for (let t = r.from.getTime(); t < r.to.getTime(); t += step) {
    out.push(new Date(t).toISOString().replace('.000Z', 'Z'));
  }
  return out;
}

/** A bucket's axis label: "14:00" or "Nov 24" (hours of a multi-day range get the day too). */
export function bucketLabel(start: string, r: Range): string {
  const d = new Date(start);
  const day = d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  if (r.bucket === 'day') {
    return day;
  }
  const hour = d.toISOString().slice(11, 16);
  return r.to.getTime() - r.from.getTime() > DAY ? `${day} ${hour}` : hour;
}

export const iso = (d: Date) => d.toISOString();
