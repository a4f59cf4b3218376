// Formatting for display only: amounts arrive as JSON numbers that the gateway computed in decimal, and the
// dashboard shows them; it never adds money up itself where the gateway can.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : integer.format(n);
}

/** USD with enough digits that a fraction of a cent still shows: $12.34, $0.0042, $0.000015. */
export function usd(n: number | null | undefined): string {
  if (n === null || n === undefined) {
    return '–';
  }
  if (n === 0) {
    return '$0';
  }
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 2 : abs >= 1 ? 2 : Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(abs)) + 2));
  return (n < 0 ? '-$' : '$') + abs.toLocaleString('en-US', { minimumFractionDigits: abs >= 1 ? 2 : 0, maximumFractionDigits: digits });
}

/** Price per 1M tokens. */
export function perMillion(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : '$' + n.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined) {
    return '–';
  }
  return n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`;
}

export function percent(n: number): string {
  return `${(n * 100).toFixed(n > 0 && n < 0.01 ? 2 : 1)}%`;
}

export function tokens(n: number | null | undefined): string {
  if (n === null || n === undefined) {
    return '–';
  }
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(n % 1_000_000 === 0 ? 0 : 1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}K` : integer.format(n);
}

/** "2026-11-24 12:00:31" in UTC: the ledger and the budgets are in UTC. */
export function time(iso: string | null | undefined): string {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 19);
}

export function dateOnly(iso: string | null | undefined): string {
  return iso ? time(iso).slice(0, 10) : '–';
}
