import './styles.css';
import { ApiError, call, type VirtualKey } from './api';
import { destroyCharts } from './charts';
import { h, notice, replace } from './dom';
import { session } from './session';
import { keysView } from './views/keys';
import { modelsView } from './views/models';
import { overviewView } from './views/overview';
import { playgroundView } from './views/playground';
import { requestsView } from './views/requests';

type View = (root: HTMLElement, params: URLSearchParams) => Promise<void>;

const routes: { path: string; label: string; view: View }[] = [
  { path: 'overview', label: 'Overview', view: overviewView },
  { path: 'requests', label: 'Requests', view: requestsView },
  { path: 'keys', label: 'Keys', view: keysView },
  { path: 'models', label: 'Models', view: modelsView },
  { path: 'playground', label: 'Playground', view: playgroundView },
];

const app = document.getElementById('app')!;

/** Which kind of key this is: GET /v1/keys answers the master key only, GET /v1/key a virtual key. */
async function identify(key: string): Promise<{ role: 'master' | 'virtual'; prefix: string | null }> {
  try {
    await call('GET', '/v1/keys', { key });
    return { role: 'master', prefix: null };
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      const own = await call<{ data: VirtualKey }>('GET', '/v1/key', { key });
      return { role: 'virtual', prefix: own.data.prefix };
    }
    throw e;
  }
}

function signIn(): void {
  destroyCharts();
  const input = h('input', { type: 'password', name: 'key', placeholder: 'tg-...', autocomplete: 'off', required: true, 'aria-label': 'API key' });
  const message = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', {
    class: 'signin',
    onsubmit: async (e) => {
      e.preventDefault();
      const key = input.value.trim();
      if (!key) {
        return;
      }
      button.disabled = true;
      replace(message);
      try {
        const who = await identify(key);
        session.set(key, who.role, who.prefix);
        if (!location.hash || location.hash === '#/signin') {
          // The hash change renders the overview; rendering here too would draw it twice, racing.
          location.hash = '#/overview';
        } else {
          render();
        }
      } catch (err) {
        replace(message, notice(err instanceof ApiError && err.status === 401 ? `Not signed in: ${err.message}` : String(err instanceof Error ? err.message : err)));
      } finally {
        button.disabled = false;
      }
    },
  },
    h('h1', null, 'Tollgate'),
    h('p', { class: 'muted' }, 'Sign in with the master key (printed by ', h('code', null, 'tollgate serve'), ' and kept in ', h('code', null, 'data/master.key'), ') to see everything, or with a virtual key to see that key only.'),
    input,
    button,
    message,
    h('p', { class: 'hint' }, 'The key stays in this browser tab (session storage) and is sent only to this gateway, as a Bearer header.'),
  );
  replace(app, h('main', { class: 'signin-page' }, form));
  input.focus();
}

function current(): { path: string; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?', 2);
  return { path: path || 'overview', params: new URLSearchParams(query ?? '') };
}

let renderCount = 0;

async function render(): Promise<void> {
  if (!session.key()) {
    signIn();
    return;
  }
  destroyCharts();
  const { path, params } = current();
  const route = routes.find((r) => r.path === path) ?? routes[0];
  const who = session.isMaster() ? 'master key' : `key ${session.prefix() ?? ''}`;
  const main = h('main', { class: 'content', 'data-testid': `view-${route.path}` });
  const nav = h('nav', { class: 'nav' },
    h('div', { class: 'brand' }, 'Tollgate'),
    ...routes.map((r) => h('a', { href: `#/${r.path}`, class: r === route ? 'active' : '' }, r.label)),
    h('div', { class: 'who' },
      h('span', { 'data-testid': 'who' }, `Signed in with the ${who}`),
      h('button', {
        class: 'link',
        onclick: () => {
          session.clear();
          location.hash = '#/signin';
          render();
        },
      }, 'Sign out'),
    ),
  );
  replace(app, nav, main);
  const mine = ++renderCount;
  try {
    await route.view(main, params);
  } catch (e) {
    if (mine !== renderCount) {
      return;
    }
    if (e instanceof ApiError && e.status === 401) {
      // The key was disabled, deleted or expired since sign-in.
      session.clear();
      signIn();
      app.querySelector('.signin')?.appendChild(notice(`Signed out: ${e.message}`));
      return;
    }
    main.appendChild(notice(e instanceof Error ? e.message : String(e)));
  }
}

window.addEventListener('hashchange', () => void render());
void render();
