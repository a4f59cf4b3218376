import { get, type LatencyReport, type SeriesReport, type UsageReport, type VirtualKey } from '../api';
import { destroyCharts, doughnut, stackedBars, type Series } from '../charts';
import { bar, card, h, option, replace } from '../dom';
import { count, ms, percent, tokens, usd } from '../format';
import { bucketLabel, bucketStarts, iso, range, rangeLabels, type RangeId } from '../ranges';
import { session } from '../session';

type Split = 'model' | 'provider' | 'key' | 'none';

const MAX_GROUPS = 8;

/** Spend and requests over time split by a dimension, tokens by kind, provider health and top keys. */
export async function overviewView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const rangeId = (params.get('range') as RangeId) in rangeLabels ? (params.get('range') as RangeId) : '24h';
  const split = (['model', 'provider', 'key', 'none'] as Split[]).find((s) => s === params.get('split')) ?? 'model';
  const navigate = (r: RangeId, s: Split) => {
    location.hash = `#/overview?range=${r}&split=${s}`;
  };

  const rangeSelect = h('select', { 'aria-label': 'Range', onchange: () => navigate(rangeSelect.value as RangeId, split) },
    ...(Object.keys(rangeLabels) as RangeId[]).map((r) => option(r, rangeLabels[r], r === rangeId)));
  const splits: Split[] = session.isMaster() ? ['model', 'provider', 'key', 'none'] : ['model', 'provider', 'none'];
  const splitSelect = h('select', { 'aria-label': 'Split by', onchange: () => navigate(rangeId, splitSelect.value as Split) },
    ...splits.map((s) => option(s, s === 'none' ? 'no split' : `by ${s}`, s === split)));

  const body = h('div', { class: 'stack' }, h('p', { class: 'muted' }, 'Loading…'));
  replace(root,
    h('header', { class: 'view-head' }, h('h1', null, 'Overview'), h('div', { class: 'controls' }, rangeSelect, splitSelect)),
    body);

  const r = range(rangeId);
  const q = { from: iso(r.from), to: iso(r.to) };
  const [series, usage, latency, byKey, keys] = await Promise.all([
    get<SeriesReport>('/v1/usage/series', { ...q, bucket: r.bucket, group_by: split === 'none' ? undefined : split }),
    get<UsageReport>('/v1/usage', q),
    get<LatencyReport>('/v1/usage/latency', { ...q, group_by: 'provider' }),
    session.isMaster() ? get<UsageReport>('/v1/usage', { ...q, group_by: 'key' }) : Promise.resolve(null),
    session.isMaster() ? get<{ data: VirtualKey[] }>('/v1/keys') : Promise.resolve(null),
  ]);
  if (!root.isConnected) {
    // A newer render replaced this view while its data loaded: drawing now would destroy that view's charts.
    return;
  }
  destroyCharts();

  const t = usage.total;
  const totalTokens = t.input_tokens + t.cache_read_tokens + t.cache_write_tokens + t.output_tokens;
  const stats = h('div', { class: 'stats' },
    stat('Spend', usd(t.cost), t.unpriced_requests ? `${count(t.unpriced_requests)} unpriced requests not counted` : 'USD, from the ledger', 'stat-spend'),
    stat('Requests', count(t.requests), `${count(t.failed_requests)} failed`, 'stat-requests'),
    stat('Error rate', t.requests ? percent(t.failed_requests / t.requests) : '–', 'status 400 and above', 'stat-errors'),
    stat('Tokens', tokens(totalTokens), `${tokens(t.input_tokens + t.cache_read_tokens + t.cache_write_tokens)} in · ${tokens(t.output_tokens)} out`, 'stat-tokens'),
  );

  const spendCanvas = h('canvas', { 'aria-label': 'Spend over time', 'data-testid': 'chart-spend' });
  const requestCanvas = h('canvas', { 'aria-label': 'Requests over time', 'data-testid': 'chart-requests' });
  const tokenCanvas = h('canvas', { 'aria-label': 'Tokens by kind', 'data-testid': 'chart-tokens' });
  const names = new Map((keys?.data ?? []).map((k) => [k.prefix, k.name]));
  const groupLabel = (g: string | number | null | undefined) =>
    split === 'none' ? 'all' : g === null || g === undefined ? (split === 'key' ? 'master key' : 'refused before routing') : split === 'key' && names.get(String(g)) ? `${g} ${names.get(String(g))}` : String(g);

  replace(body,
    stats,
    h('div', { class: 'grid two' },
      card(`Spend (USD per ${r.bucket}, UTC)`, h('div', { class: 'chart' }, spendCanvas)),
      card(`Requests (per ${r.bucket}, UTC)`, h('div', { class: 'chart' }, requestCanvas)),
    ),
    h('div', { class: 'grid two' },
      card('Tokens by kind', totalTokens ? h('div', { class: 'chart small' }, tokenCanvas) : h('p', { class: 'muted' }, 'No tokens in this range.')),
      card('Providers', providerTable(latency)),
    ),
    byKey ? card('Top keys by spend', topKeys(byKey, names)) : null,
  );

  const labels = bucketStarts(r);
  stackedBars(spendCanvas, labels.map((s) => bucketLabel(s, r)), pivot(series, labels, split, 'cost', groupLabel), usd);
  stackedBars(requestCanvas, labels.map((s) => bucketLabel(s, r)), pivot(series, labels, split, 'requests', groupLabel), count, true);
  if (totalTokens) {
    doughnut(tokenCanvas,
      ['input (uncached)', 'cache read', 'cache write', 'output (incl. reasoning)'],
      [t.input_tokens, t.cache_read_tokens, t.cache_write_tokens, t.output_tokens],
      count);
    tokenCanvas.parentElement!.after(h('p', { class: 'hint' }, `Reasoning: ${count(t.reasoning_tokens)} of the ${count(t.output_tokens)} output tokens.`));
  }
}

function stat(label: string, value: string, sub: string, testid: string): HTMLElement {
  return h('div', { class: 'stat', 'data-testid': testid }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-sub' }, sub));
}

/**
 * One series per group over every bucket of the range (empty buckets are 0). Past MAX_GROUPS the smallest groups
 * (by the metric over the range) are drawn together as "other": a chart with 40 colours says nothing.
 */
function pivot(report: SeriesReport, buckets: string[], split: Split, metric: 'cost' | 'requests', label: (g: string | number | null | undefined) => string): Series[] {
  const index = new Map(buckets.map((b, i) => [b, i]));
  const groups = new Map<string, number[]>();
  for (const row of report.data) {
    const name = label(split === 'none' ? null : row[split]);
    const values = groups.get(name) ?? groups.set(name, new Array<number>(buckets.length).fill(0)).get(name)!;
    const i = index.get(row.start);
    if (i !== undefined) {
      values[i] += row[metric];
    }
  }
  const ranked = [...groups.entries()].map(([name, data]) => ({ label: name, data, total: data.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total);
  if (ranked.length <= MAX_GROUPS) {
    return ranked;
  }
  const kept = ranked.slice(0, MAX_GROUPS - 1);
  const other = new Array<number>(buckets.length).fill(0);
  for (const s of ranked.slice(MAX_GROUPS - 1)) {
    s.data.forEach((v, i) => (other[i] += v));
  }
  return [...kept, { label: `other (${ranked.length - kept.length})`, data: other, total: 0 }];
}

function providerTable(report: LatencyReport): HTMLElement {
  if (report.data.length === 0) {
    return h('p', { class: 'muted' }, 'No requests in this range.');
  }
  return h('table', { class: 'table', 'data-testid': 'providers' },
    h('thead', null, h('tr', null, h('th', null, 'Provider'), h('th', { class: 'num' }, 'Requests'), h('th', { class: 'num' }, 'Errors'),
      h('th', { class: 'num' }, 'p50'), h('th', { class: 'num' }, 'p90'), h('th', { class: 'num' }, 'p99'), h('th', { class: 'num' }, 'TTFT p50'))),
    h('tbody', null, ...report.data.map((row) => h('tr', null,
      h('td', null, row.provider === null ? '(refused before routing)' : String(row.provider)),
      h('td', { class: 'num' }, count(row.requests)),
      h('td', { class: row.error_rate > 0.05 ? 'num bad' : 'num' }, percent(row.error_rate)),
      h('td', { class: 'num' }, ms(row.latency_ms.p50)),
      h('td', { class: 'num' }, ms(row.latency_ms.p90)),
      h('td', { class: 'num' }, ms(row.latency_ms.p99)),
      h('td', { class: 'num' }, ms(row.ttft_ms.p50)),
    ))),
  );
}

function topKeys(report: UsageReport, names: Map<string, string | null>): HTMLElement {
  const rows = [...report.data].sort((a, b) => b.cost - a.cost).slice(0, 10);
  if (rows.length === 0) {
    return h('p', { class: 'muted' }, 'No requests in this range.');
  }
  const top = Math.max(...rows.map((r) => r.cost), 0);
  return h('table', { class: 'table', 'data-testid': 'top-keys' },
    h('thead', null, h('tr', null, h('th', null, 'Key'), h('th', null, 'Name'), h('th', { class: 'num' }, 'Requests'), h('th', { class: 'num' }, 'Spend'), h('th', { class: 'bar-col' }, ''))),
    h('tbody', null, ...rows.map((row) => {
      const key = row.key === null ? null : String(row.key);
      return h('tr', null,
        h('td', null, h('code', null, key ?? 'master key')),
        h('td', null, key ? names.get(key) ?? '' : ''),
        h('td', { class: 'num' }, count(row.requests)),
        h('td', { class: 'num' }, usd(row.cost)),
        h('td', { class: 'bar-col' }, bar(top > 0 ? row.cost / top : 0)));
    })),
  );
}
