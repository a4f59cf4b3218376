import { ApiError, get, type Attempt, type Model, type RequestDetail, type RequestEntry, type RequestPage, type VirtualKey } from '../api';
import { card, field, h, notice, option, replace } from '../dom';
import { count, ms, perMillion, time, usd } from '../format';
import { iso, range, rangeLabels, type RangeId } from '../ranges';
import { session } from '../session';

const PAGE = 50;
const FILTERS = ['key', 'model', 'provider', 'status', 'range'] as const;

/** The ledger, newest first, filtered in the gateway (GET /v1/requests), a page at a time, with one request's detail. */
export async function requestsView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const [models, keys] = await Promise.all([
    get<{ data: Model[] }>('/v1/models'),
    session.isMaster() ? get<{ data: VirtualKey[] }>('/v1/keys') : Promise.resolve(null),
  ]);
  const providers = [...new Set(models.data.map((m) => m.owned_by))].sort();

  const keySelect = h('select', { name: 'key' }, option('', 'any key'),
    ...(keys?.data ?? []).map((k) => option(k.prefix, k.name ? `${k.prefix} ${k.name}` : k.prefix, params.get('key') === k.prefix)));
  const modelInput = h('input', { name: 'model', placeholder: 'provider/model', list: 'request-models', value: params.get('model') ?? '' });
  const modelList = h('datalist', { id: 'request-models' }, ...models.data.map((m) => option(m.id, m.id)));
  const providerSelect = h('select', { name: 'provider' }, option('', 'any provider'), ...providers.map((p) => option(p, p, params.get('provider') === p)));
  const statusSelect = h('select', { name: 'status' },
    ...[['', 'any status'], ['ok', 'succeeded (< 400)'], ['error', 'failed (≥ 400)'], ['2xx', '2xx'], ['4xx', '4xx'], ['5xx', '5xx'], ['401', '401'], ['429', '429']]
      .map(([v, l]) => option(v, l, (params.get('status') ?? '') === v)));
  const rangeSelect = h('select', { name: 'range' }, option('', 'all time'),
    ...(Object.keys(rangeLabels) as RangeId[]).map((r) => option(r, rangeLabels[r], params.get('range') === r)));

  const form = h('form', {
    class: 'filters',
    'data-testid': 'request-filters',
    onsubmit: (e) => {
      e.preventDefault();
      const next = new URLSearchParams();
      const values: Record<(typeof FILTERS)[number], string> = {
        key: keySelect.value, model: modelInput.value.trim(), provider: providerSelect.value, status: statusSelect.value, range: rangeSelect.value,
      };
      for (const f of FILTERS) {
        if (values[f]) {
          next.set(f, values[f]);
        }
      }
      location.hash = `#/requests?${next}`;
    },
  },
    session.isMaster() ? field('Key', keySelect) : null,
    field('Model', modelInput), modelList,
    field('Provider', providerSelect),
    field('Status', statusSelect),
    field('Time', rangeSelect),
    h('button', { type: 'submit', class: 'primary' }, 'Filter'),
    h('a', { href: '#/requests', class: 'button' }, 'Clear'),
  );

  const list = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const detail = h('div', { class: 'detail-slot' });
  replace(root, h('header', { class: 'view-head' }, h('h1', null, 'Requests')), form, h('div', { class: 'split' }, list, detail));

  const r = params.get('range') as RangeId | null;
  const span = r && r in rangeLabels ? range(r) : null;
  const page = await get<RequestPage>('/v1/requests', {
    limit: PAGE,
    cursor: params.get('cursor'),
    key: params.get('key'),
    model: params.get('model'),
    provider: params.get('provider'),
    status: params.get('status'),
    from: span ? iso(span.from) : undefined,
    to: span ? iso(span.to) : undefined,
  });

  const names = new Map((keys?.data ?? []).map((k) => [k.prefix, k.name]));
  const show = (id: string) => void showDetail(detail, id, names);
  const older = new URLSearchParams(params);
  if (page.next_cursor) {
    older.set('cursor', page.next_cursor);
  }
  const newest = new URLSearchParams(params);
  newest.delete('cursor');
  replace(list,
    page.data.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'no-requests' }, 'No request matches these filters.')
      : requestTable(page.data, names, show),
    h('div', { class: 'pager' },
      params.get('cursor') ? h('a', { href: `#/requests?${newest}`, class: 'button' }, '« Newest') : null,
      h('span', { class: 'muted' }, `${page.data.length} shown${page.has_more ? ', more below' : ''}`),
      page.next_cursor ? h('a', { href: `#/requests?${older}`, class: 'button', 'data-testid': 'older' }, 'Older »') : null,
    ),
  );
  const open = params.get('id');
  if (open) {
    show(open);
  }
}

function requestTable(entries: RequestEntry[], names: Map<string, string | null>, show: (id: string) => void): HTMLElement {
  return h('table', { class: 'table clickable', 'data-testid': 'requests' },
    h('thead', null, h('tr', null,
      h('th', null, 'Time (UTC)'), h('th', null, 'Key'), h('th', null, 'Model'), h('th', null, 'Status'),
      h('th', { class: 'num' }, 'Latency'), h('th', { class: 'num' }, 'TTFT'), h('th', { class: 'num' }, 'In'), h('th', { class: 'num' }, 'Out'), h('th', { class: 'num' }, 'Cost'))),
    h('tbody', null, ...entries.map((e) => h('tr', { 'data-id': e.id, onclick: () => show(e.id) },
      h('td', null, time(e.created_at)),
      h('td', null, keyLabel(e.key, names)),
      h('td', null, e.model ?? '–', e.stream ? h('span', { class: 'tag' }, 'stream') : null),
      h('td', null, statusTag(e.status, e.error_type)),
      h('td', { class: 'num' }, ms(e.latency_ms)),
      h('td', { class: 'num' }, ms(e.ttft_ms)),
      h('td', { class: 'num' }, count(e.usage.input_tokens + e.usage.cache_read_tokens + e.usage.cache_write_tokens)),
      h('td', { class: 'num' }, count(e.usage.output_tokens)),
      h('td', { class: 'num' }, e.unpriced ? h('span', { class: 'tag warn' }, 'unpriced') : usd(e.cost), e.estimated ? h('span', { class: 'tag', title: 'counted by Tollgate: the provider reported no usage' }, 'est.') : null),
    ))),
  );
}

function keyLabel(key: string | null, names: Map<string, string | null>): HTMLElement {
  if (key === null) {
    return h('span', { class: 'muted' }, 'master');
  }
  const name = names.get(key);
  return h('span', null, h('code', null, key), name ? ` ${name}` : '');
}

function statusTag(status: number, errorType: string | null): HTMLElement {
  const kind = status < 400 ? 'ok' : status < 500 ? 'warn' : 'bad';
  return h('span', { class: `status ${kind}`, title: errorType ?? '' }, String(status));
}

async function showDetail(slot: HTMLElement, id: string, names: Map<string, string | null>): Promise<void> {
  replace(slot, card('Request', h('p', { class: 'muted' }, 'Loading…')));
  let d: RequestDetail;
  try {
    d = await get<RequestDetail>(`/v1/requests/${encodeURIComponent(id)}`);
  } catch (e) {
    replace(slot, card('Request', notice(e instanceof ApiError ? e.message : String(e))));
    return;
  }
  const u = d.usage;
  const rows: [string, Node | string][] = [
    ['Id', h('code', null, d.id)],
    ['Time (UTC)', time(d.created_at)],
    ['Key', keyLabel(d.key, names)],
    ['Endpoint', d.endpoint],
    ['Provider', d.provider ?? '–'],
    ['Model', d.model ?? '–'],
    ['Stream', d.stream ? 'yes' : 'no'],
    ['Status', statusTag(d.status, d.error_type)],
    ['Error', d.error_type ?? '–'],
    ['Latency', ms(d.latency_ms)],
    ['Time to first token', ms(d.ttft_ms)],
  ];
  const parts = d.cost_breakdown;
  const price = d.pricing;
  const close = h('button', { class: 'link', onclick: () => replace(slot) }, 'Close');
  replace(slot, h('section', { class: 'card detail', 'data-testid': 'request-detail' },
    h('div', { class: 'card-head' }, h('h2', null, 'Request'), close),
    h('dl', { class: 'props' }, ...rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    h('h3', null, 'Usage and cost'),
    h('table', { class: 'table compact' },
      h('thead', null, h('tr', null, h('th', null, 'Tokens'), h('th', { class: 'num' }, 'Count'), h('th', { class: 'num' }, 'Price / 1M'), h('th', { class: 'num' }, 'Cost'))),
      h('tbody', null,
        costRow('Input (uncached)', u.input_tokens, price?.input, parts?.input),
        costRow('Cache read', u.cache_read_tokens, price?.cached_input, parts?.cache_read),
        costRow('Cache write', u.cache_write_tokens, price?.cache_write, parts?.cache_write),
        costRow('Output', u.output_tokens, price?.output, parts?.output),
        h('tr', null, h('td', { class: 'muted' }, '… of which reasoning'), h('td', { class: 'num muted' }, count(u.reasoning_tokens)), h('td'), h('td')),
        h('tr', { class: 'total' }, h('td', null, 'Charged'), h('td'), h('td'), h('td', { class: 'num', 'data-testid': 'detail-cost' }, d.unpriced ? 'unpriced' : usd(d.cost))),
        d.list_cost !== null ? h('tr', null, h('td', { class: 'muted' }, 'List price (free tier)'), h('td'), h('td'), h('td', { class: 'num muted', 'data-testid': 'detail-list-cost' }, usd(d.list_cost))) : null,
      )),
    h('h3', null, 'Attempts'),
    d.attempts.length === 0
      ? h('p', { class: 'hint' }, 'None: the request was refused before it was sent upstream.')
      : h('table', { class: 'table compact', 'data-testid': 'detail-attempts' },
        h('thead', null, h('tr', null, h('th', null, '#'), h('th', null, 'Provider'), h('th', null, 'Model'), h('th', null, 'Status'), h('th', null, 'Failure'), h('th', { class: 'num' }, 'Latency'))),
        h('tbody', null, ...d.attempts.map((a, i) => attemptRow(i + 1, a)))),
    d.estimated ? h('p', { class: 'hint' }, 'The provider reported no usage; Tollgate counted the tokens (estimated).') : null,
    !parts && d.cost !== null ? h('p', { class: 'hint' }, 'No breakdown: the charge does not match the catalog\'s standard prices today (another tier, or prices changed since).') : null,
    parts?.long_context ? h('p', { class: 'hint' }, 'Billed at long-context rates.') : null,
  ));
}

function attemptRow(n: number, a: Attempt): HTMLElement {
  return h('tr', null, h('td', { class: 'num' }, String(n)), h('td', null, a.provider), h('td', null, a.model), h('td', null, statusTag(a.status, a.failure)), h('td', null, a.failure ?? '–'), h('td', { class: 'num' }, ms(a.latency_ms)));
}

function costRow(label: string, tokens: number, price: number | undefined, cost: number | undefined): HTMLElement {
  return h('tr', null, h('td', null, label), h('td', { class: 'num' }, count(tokens)), h('td', { class: 'num' }, perMillion(price)), h('td', { class: 'num' }, cost === undefined ? '–' : usd(cost)));
}
