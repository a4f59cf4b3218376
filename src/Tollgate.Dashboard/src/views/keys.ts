import { ApiError, call, get, type Budget, type VirtualKey } from '../api';
import { bar, card, field, h, notice, option, replace } from '../dom';
import { count, dateOnly, time, usd } from '../format';
import { session } from '../session';

const RETENTIONS = ['day', 'week', 'month', 'no_reset'];
const SCOPES = ['model:chat', 'model:embedding', 'model:messages'];

/** The master key's list of keys (create, edit limits, disable, delete), or a virtual key's own card. */
export async function keysView(root: HTMLElement): Promise<void> {
  if (!session.isMaster()) {
    const [own, budgets] = await Promise.all([get<{ data: VirtualKey }>('/v1/key'), get<{ data: Budget[] }>('/v1/budgets')]);
    replace(root,
      h('header', { class: 'view-head' }, h('h1', null, 'Your key')),
      card(null, keyTable([own.data], budgets.data, null)),
      h('p', { class: 'hint' }, 'Only the master key can create, change or delete keys.'));
    return;
  }

  const top = h('div');
  const list = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  const refresh = async () => {
    const [keys, budgets] = await Promise.all([get<{ data: VirtualKey[] }>('/v1/keys'), get<{ data: Budget[] }>('/v1/budgets')]);
    replace(list, keys.data.length === 0
      ? h('p', { class: 'muted' }, 'No keys yet. A virtual key lets a team call models with its own budget and limits, without seeing a provider key.')
      : keyTable(keys.data, budgets.data, { edit: (k) => openForm(k), refresh, flash }));
  };
  const flash = (node: HTMLElement) => replace(top, node);
  const openForm = (existing: VirtualKey | null) => replace(top, keyForm(existing, async (created) => {
    replace(top, created ? createdCard(created) : notice(`Saved ${existing?.prefix ?? ''}.`, 'ok'));
    await refresh();
  }, () => replace(top)));

  replace(root,
    h('header', { class: 'view-head' }, h('h1', null, 'Keys'),
      h('div', { class: 'controls' }, h('button', { class: 'primary', 'data-testid': 'new-key', onclick: () => openForm(null) }, 'Create key'))),
    top,
    card(null, list));
  await refresh();
}

interface Actions {
  edit: (key: VirtualKey) => void;
  refresh: () => Promise<void>;
  flash: (node: HTMLElement) => void;
}

function keyTable(keys: VirtualKey[], budgets: Budget[], actions: Actions | null): HTMLElement {
  const byKey = new Map(budgets.map((b) => [b.key, b]));
  return h('table', { class: 'table', 'data-testid': 'keys' },
    h('thead', null, h('tr', null,
      h('th', null, 'Key'), h('th', null, 'Name'), h('th', null, 'Status'), h('th', { class: 'budget-col' }, 'Budget this period'),
      h('th', { class: 'num' }, 'This month'), h('th', null, 'Limits'), h('th', null, 'Models'), actions ? h('th', null, '') : null)),
    h('tbody', null, ...keys.map((k) => h('tr', { 'data-id': k.prefix },
      h('td', null, h('code', null, k.prefix)),
      h('td', { class: 'key-name' }, k.name ?? '', metadata(k.metadata)),
      h('td', null, status(k)),
      h('td', { class: 'budget-col' }, budget(k, byKey.get(k.prefix))),
      h('td', { class: 'num' }, usd(k.monthly_usage)),
      h('td', { class: 'limits' }, limits(k)),
      h('td', null, k.allowed_models.length ? k.allowed_models.join(', ') : h('span', { class: 'muted' }, 'all')),
      actions ? h('td', { class: 'actions' }, ...rowActions(k, actions)) : null,
    ))),
  );
}

function metadata(meta: Record<string, string>): HTMLElement | null {
  const entries = Object.entries(meta);
  return entries.length === 0 ? null : h('div', { class: 'meta' }, ...entries.map(([k, v]) => h('span', { class: 'tag' }, `${k}=${v}`)));
}

function status(k: VirtualKey): HTMLElement {
  if (k.disabled) {
    return h('span', { class: 'status bad' }, 'disabled');
  }
  if (k.expires_at && new Date(k.expires_at) <= new Date()) {
    return h('span', { class: 'status bad' }, 'expired');
  }
  return h('span', { class: 'status ok' }, 'active', k.expires_at ? ` until ${dateOnly(k.expires_at)}` : '');
}

function budget(k: VirtualKey, b: Budget | undefined): HTMLElement {
  if (k.limit.threshold === null || !b) {
    return h('span', { class: 'muted' }, 'no budget');
  }
  const used = b.threshold > 0 ? (b.spent + b.reserved) / b.threshold : 1;
  const per = b.retention === 'no_reset' ? 'in total' : `per ${b.retention}`;
  return h('div', { class: 'budget', title: b.resets_at ? `resets ${time(b.resets_at)} UTC` : 'never resets' },
    bar(used, used >= 1 ? 'bad' : used >= 0.8 ? 'warn' : 'ok'),
    h('span', { class: 'budget-text' }, `${usd(b.spent)} of ${usd(b.threshold)} ${per}`, b.reserved > 0 ? ` (+${usd(b.reserved)} in flight)` : ''));
}

function limits(k: VirtualKey): string {
  const parts = [k.rpm ? `${count(k.rpm)} rpm` : null, k.tpm ? `${count(k.tpm)} tpm` : null, k.max_parallel ? `${k.max_parallel} parallel` : null,
    k.scopes.length ? k.scopes.join(' ') : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : '–';
}

function rowActions(k: VirtualKey, a: Actions): HTMLElement[] {
  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      a.flash(notice(done, 'ok'));
      await a.refresh();
    } catch (e) {
      a.flash(notice(e instanceof ApiError ? e.message : String(e)));
    }
  };
  const path = `/v1/keys/${encodeURIComponent(k.prefix)}`;
  return [
    h('button', { class: 'small', onclick: () => a.edit(k) }, 'Edit'),
    h('button', {
      class: 'small',
      onclick: () => void act(() => call('PATCH', path, { body: { disabled: !k.disabled } }), `${k.prefix} ${k.disabled ? 'enabled' : 'disabled'}.`),
    }, k.disabled ? 'Enable' : 'Disable'),
    h('button', {
      class: 'small danger',
      onclick: () => {
        if (confirm(`Delete the key ${k.prefix}${k.name ? ` (${k.name})` : ''}? Requests with it will be refused; its ledger history stays.`)) {
          void act(() => call('DELETE', path), `${k.prefix} deleted.`);
        }
      },
    }, 'Delete'),
  ];
}

function createdCard(k: VirtualKey): HTMLElement {
  const value = h('input', { class: 'secret', readonly: true, value: k.key ?? '', 'aria-label': 'New key', 'data-testid': 'created-key' });
  const copy = h('button', {
    onclick: async () => {
      value.select();
      try {
        await navigator.clipboard.writeText(value.value);
        copy.textContent = 'Copied';
      } catch {
        copy.textContent = 'Select and copy';
      }
    },
  }, 'Copy');
  return h('section', { class: 'card created' },
    h('h2', null, `Key ${k.prefix} created`),
    h('p', null, 'This is the only time the full key is shown: Tollgate keeps only its hash. Copy it now.'),
    h('div', { class: 'row' }, value, copy));
}

/** The create or edit form. Editing sends only the fields that changed; an emptied field is sent as null (cleared). */
function keyForm(existing: VirtualKey | null, saved: (created: VirtualKey | null) => Promise<void>, cancel: () => void): HTMLElement {
  const k = existing;
  const name = h('input', { name: 'name', value: k?.name ?? '', placeholder: 'search-team' });
  const threshold = h('input', { name: 'threshold', type: 'number', min: '0', step: 'any', value: k?.limit.threshold?.toString() ?? '', placeholder: 'none' });
  const retention = h('select', { name: 'retention' }, ...RETENTIONS.map((r) => option(r, r.replace('_', ' '), (k?.limit.retention ?? 'month') === r)));
  const rpm = h('input', { name: 'rpm', type: 'number', min: '1', step: '1', value: k?.rpm?.toString() ?? '', placeholder: 'none' });
  const tpm = h('input', { name: 'tpm', type: 'number', min: '1', step: '1', value: k?.tpm?.toString() ?? '', placeholder: 'none' });
  const parallel = h('input', { name: 'max_parallel', type: 'number', min: '1', step: '1', value: k?.max_parallel?.toString() ?? '', placeholder: 'none' });
  const models = h('input', { name: 'allowed_models', value: k?.allowed_models.join(', ') ?? '', placeholder: 'all (or e.g. groq/*, openai/gpt-4o-mini)' });
  const expires = h('input', { name: 'expires_at', type: 'date', value: k?.expires_at ? k.expires_at.slice(0, 10) : '' });
  const meta = h('textarea', { name: 'metadata', rows: 2, placeholder: 'team=search' });
  meta.value = Object.entries(k?.metadata ?? {}).map(([a, b]) => `${a}=${b}`).join('\n');
  const scopeBoxes = SCOPES.map((s) => h('input', { type: 'checkbox', name: 'scope', value: s, checked: k?.scopes.includes(s) ?? false }));
  const message = h('div');
  const submit = h('button', { type: 'submit', class: 'primary' }, k ? 'Save' : 'Create');

  const number = (input: HTMLInputElement) => (input.value.trim() === '' ? null : Number(input.value));
  const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

  const form = h('form', {
    class: 'card key-form',
    'data-testid': 'key-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const metadata: Record<string, string> = {};
      for (const line of meta.value.split('\n').map((l) => l.trim()).filter(Boolean)) {
        const eq = line.indexOf('=');
        if (eq <= 0) {
          replace(message, notice(`Metadata lines are name=value: '${line}'.`));
          return;
        }
        metadata[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
      }
      const full: Record<string, unknown> = {
        name: name.value.trim() || null,
        limit: { retention: retention.value, threshold: number(threshold) },
        rpm: number(rpm),
        tpm: number(tpm),
        max_parallel: number(parallel),
        allowed_models: list(models.value),
        scopes: scopeBoxes.filter((b) => b.checked).map((b) => b.value),
        expires_at: expires.value ? `${expires.value}T00:00:00Z` : null,
        metadata,
      };
      const body = k ? changed(k, full) : full;
      if (k && Object.keys(body).length === 0) {
        replace(message, notice('Nothing changed.', 'info'));
        return;
      }
      submit.disabled = true;
      try {
        const res = k
          ? await call<{ data: VirtualKey }>('PATCH', `/v1/keys/${encodeURIComponent(k.prefix)}`, { body })
          : await call<{ data: VirtualKey }>('POST', '/v1/keys', { body });
        await saved(k ? null : res.data);
      } catch (err) {
        replace(message, notice(err instanceof ApiError ? err.message : String(err)));
        submit.disabled = false;
      }
    },
  },
    h('h2', null, k ? `Edit ${k.prefix}` : 'New key'),
    h('div', { class: 'form-grid' },
      field('Name', name),
      field('Budget (USD)', threshold, 'empty: no budget'),
      field('Budget period', retention, 'UTC calendar periods'),
      field('Requests / minute', rpm),
      field('Tokens / minute', tpm),
      field('Requests in flight', parallel),
      field('Allowed models', models, 'comma-separated globs'),
      field('Expires', expires),
      field('Metadata', meta, 'one name=value a line'),
      h('fieldset', { class: 'field scopes' }, h('legend', { class: 'field-label' }, 'Scopes (none: all)'),
        ...scopeBoxes.map((b) => h('label', { class: 'check' }, b, b.value))),
    ),
    h('div', { class: 'row' }, submit, h('button', { type: 'button', onclick: cancel }, 'Cancel')),
    message,
  );
  return form;
}

/** The fields of `next` that differ from the key as it is. */
function changed(k: VirtualKey, next: Record<string, unknown>): Record<string, unknown> {
  const now: Record<string, unknown> = {
    name: k.name,
    limit: { retention: k.limit.retention, threshold: k.limit.threshold },
    rpm: k.rpm,
    tpm: k.tpm,
    max_parallel: k.max_parallel,
    allowed_models: k.allowed_models,
    scopes: k.scopes,
    expires_at: k.expires_at ? `${k.expires_at.slice(0, 10)}T00:00:00Z` : null,
    metadata: k.metadata,
  };
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(next)) {
    if (JSON.stringify(value) !== JSON.stringify(now[field])) {
      out[field] = value;
    }
  }
  return out;
}
