import { ApiError, get, type CostRow, type Model } from '../api';
import { card, field, h, notice, option, replace } from '../dom';
import { count, perMillion, tokens, usd } from '../format';

type SortKey = 'id' | 'context' | 'output' | 'input' | 'cached' | 'outputPrice';

const columns: { key: SortKey; label: string; value: (m: Model) => number | string | null; num: boolean }[] = [
  { key: 'id', label: 'Model', value: (m) => m.id, num: false },
  { key: 'context', label: 'Context', value: (m) => m.context_length, num: true },
  { key: 'output', label: 'Max output', value: (m) => m.max_output_tokens, num: true },
  { key: 'input', label: 'Input / 1M', value: (m) => m.pricing.input, num: true },
  { key: 'cached', label: 'Cached / 1M', value: (m) => m.pricing.cached_input, num: true },
  { key: 'outputPrice', label: 'Output / 1M', value: (m) => m.pricing.output, num: true },
];

/** The catalog of enabled providers, searchable and sortable, with a price calculator over the chosen models. */
export async function modelsView(root: HTMLElement): Promise<void> {
  const { data: models } = await get<{ data: Model[] }>('/v1/models');
  const chosen = new Set<string>();
  let sort: SortKey = 'id';
  let descending = false;

  const search = h('input', { type: 'search', placeholder: 'Search models, providers, capabilities', 'aria-label': 'Search models', oninput: () => draw() });
  const mode = h('select', { 'aria-label': 'Mode', onchange: () => draw() }, option('', 'all modes'),
    ...[...new Set(models.map((m) => m.mode))].sort().map((m) => option(m, m)));
  const table = h('div');
  const calculator = h('div');

  const draw = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const col = columns.find((c) => c.key === sort)!;
    const shown = models
      .filter((m) => !mode.value || m.mode === mode.value)
      .filter((m) => words.every((w) => `${m.id} ${m.mode} ${(m.capabilities ?? []).join(' ')}`.toLowerCase().includes(w)))
      .sort((a, b) => compare(col.value(a), col.value(b)) * (descending ? -1 : 1));
    replace(table, h('table', { class: 'table', 'data-testid': 'models' },
      h('thead', null, h('tr', null,
        h('th', { class: 'check-col' }, 'Compare'),
        ...columns.map((c) => h('th', {
          class: `${c.num ? 'num ' : ''}sortable`,
          'aria-sort': c.key === sort ? (descending ? 'descending' : 'ascending') : 'none',
          onclick: () => {
            descending = c.key === sort ? !descending : false;
            sort = c.key;
            draw();
          },
        }, c.label, c.key === sort ? (descending ? ' ▼' : ' ▲') : '')),
        h('th', null, 'Capabilities'))),
      h('tbody', null, ...shown.map((m) => h('tr', { 'data-id': m.id },
        h('td', { class: 'check-col' }, h('input', {
          type: 'checkbox',
          'aria-label': `Compare ${m.id}`,
          checked: chosen.has(m.id),
          onchange: (e) => {
            if ((e.target as HTMLInputElement).checked) {
              chosen.add(m.id);
            } else {
              chosen.delete(m.id);
            }
            void calculate();
          },
        })),
        h('td', null, m.id, m.mode !== 'chat' ? h('span', { class: 'tag' }, m.mode) : null),
        h('td', { class: 'num' }, tokens(m.context_length)),
        h('td', { class: 'num' }, tokens(m.max_output_tokens)),
        h('td', { class: 'num' }, perMillion(m.pricing.input)),
        h('td', { class: 'num' }, perMillion(m.pricing.cached_input)),
        h('td', { class: 'num' }, perMillion(m.pricing.output)),
        h('td', null, ...(m.capabilities ?? []).map((c) => h('span', { class: 'tag' }, c))),
      ))),
    ), h('p', { class: 'hint' }, `${shown.length} of ${models.length} models. Prices in USD per 1M tokens, from the catalog.`));
  };

  const input = numberInput('input', '10000');
  const cached = numberInput('cached', '0');
  const write = numberInput('cache_write', '0');
  const output = numberInput('output', '1000');
  const tier = h('select', { name: 'tier', onchange: () => void calculate() }, ...['standard', 'batch', 'flex', 'priority'].map((t) => option(t, t)));
  for (const i of [input, cached, write, output]) {
    i.addEventListener('input', () => void calculate());
  }

  let run = 0;
  const calculate = async () => {
    const mine = ++run;
    if (chosen.size === 0) {
      replace(calculator, h('p', { class: 'muted' }, 'Tick models in the table to compare what the same call costs on each.'));
      return;
    }
    try {
      const res = await get<{ data: CostRow[] }>('/v1/cost', {
        model: [...chosen], input: input.value || '0', cached: cached.value || '0', cache_write: write.value || '0', output: output.value || '0', tier: tier.value,
      });
      if (mine === run) {
        replace(calculator, costTable(res.data));
      }
    } catch (e) {
      if (mine === run) {
        replace(calculator, notice(e instanceof ApiError ? e.message : String(e)));
      }
    }
  };

  replace(root,
    h('header', { class: 'view-head' }, h('h1', null, 'Models'), h('div', { class: 'controls' }, search, mode)),
    card('Price calculator',
      h('form', { class: 'calc-inputs', onsubmit: (e) => e.preventDefault() },
        field('Input tokens (all)', input, 'cached ones included'), field('of which cached', cached), field('of which cache writes', write),
        field('Output tokens', output), field('Tier', tier)),
      calculator),
    card(null, table));
  draw();
  await calculate();
}

function numberInput(name: string, value: string): HTMLInputElement {
  return h('input', { name, type: 'number', min: '0', step: '1', value });
}

function compare(a: number | string | null, b: number | string | null): number {
  if (a === null || b === null) {
    return a === b ? 0 : a === null ? 1 : -1;
  }
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

function costTable(rows: CostRow[]): HTMLElement {
  const priced = rows.filter((r) => r.cost !== undefined);
  const cheapest = priced.length > 1 ? Math.min(...priced.map((r) => r.cost!)) : null;
  return h('table', { class: 'table', 'data-testid': 'cost-table' },
    h('thead', null, h('tr', null, h('th', null, 'Model'), h('th', { class: 'num' }, 'Input'), h('th', { class: 'num' }, 'Cache read'),
      h('th', { class: 'num' }, 'Cache write'), h('th', { class: 'num' }, 'Output'), h('th', { class: 'num' }, 'Total'))),
    h('tbody', null, ...rows.map((r) => r.error !== undefined
      ? h('tr', null, h('td', null, r.model), h('td', { class: 'muted' }, r.error), h('td'), h('td'), h('td'), h('td'))
      : h('tr', { class: r.cost === cheapest ? 'best' : '', 'data-id': r.id ?? r.model },
        h('td', null, r.id ?? r.model, r.breakdown?.long_context ? h('span', { class: 'tag' }, 'long context') : null, r.cost === cheapest ? h('span', { class: 'tag ok' }, 'cheapest') : null),
        h('td', { class: 'num' }, usd(r.breakdown!.input)),
        h('td', { class: 'num' }, usd(r.breakdown!.cache_read)),
        h('td', { class: 'num' }, usd(r.breakdown!.cache_write)),
        h('td', { class: 'num' }, usd(r.breakdown!.output)),
        h('td', { class: 'num total' }, usd(r.cost))))),
    h('caption', null, `Same call on ${count(rows.length)} models, computed by the gateway from the catalog.`),
  );
}
