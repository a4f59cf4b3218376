// Builds DOM nodes from data. Every string becomes a text node or an attribute value, never markup: key names,
// model names, error messages and chat replies come from clients, and none of them may turn into HTML. There is no
// innerHTML anywhere in the dashboard.

export type Child = Node | string | number | null | undefined | false;

type Attrs = {
  class?: string;
  id?: string;
  title?: string;
  type?: string;
  name?: string;
  value?: string;
  placeholder?: string;
  href?: string;
  for?: string;
  min?: string;
  max?: string;
  step?: string;
  rows?: number;
  disabled?: boolean;
  checked?: boolean;
  selected?: boolean;
  required?: boolean;
  readonly?: boolean;
  autocomplete?: string;
  list?: string;
  role?: string;
  'aria-label'?: string;
  'aria-sort'?: string;
  'data-testid'?: string;
  'data-id'?: string;
  onclick?: (e: MouseEvent) => void;
  oninput?: (e: Event) => void;
  onchange?: (e: Event) => void;
  onsubmit?: (e: SubmitEvent) => void;
  onkeydown?: (e: KeyboardEvent) => void;
};

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name.startsWith('on') && typeof value === 'function') {
        el.addEventListener(name.slice(2), value as EventListener);
      } else if (name === 'class') {
        el.className = String(value);
      } else if (name === 'value' && 'value' in el) {
        (el as HTMLInputElement).value = String(value);
      } else if (name === 'checked' && el instanceof HTMLInputElement) {
        el.checked = Boolean(value);
      } else if (name === 'selected' && el instanceof HTMLOptionElement) {
        el.selected = Boolean(value);
      } else if (name === 'href') {
        // Only the dashboard's own routes: a client-supplied string can never become a javascript: link.
        const href = String(value);
        el.setAttribute('href', href.startsWith('#') ? href : '#');
      } else {
        el.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces the children of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) {
    parent.removeChild(parent.firstChild);
  }
  append(parent, ...children);
}

export function option(value: string, label: string, selected = false): HTMLOptionElement {
  return h('option', { value, selected }, label);
}

/** A labelled form field. */
export function field(label: string, input: HTMLElement, hint?: string): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input, hint ? h('span', { class: 'hint' }, hint) : null);
}

/** A message box for errors and notices. */
export function notice(text: string, kind: 'error' | 'info' | 'ok' = 'error'): HTMLDivElement {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function card(title: string | null, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, title ? h('h2', null, title) : null, ...children);
}

/** A horizontal bar whose fill is `fraction` (0 to 1) of its width. */
export function bar(fraction: number, kind: 'ok' | 'warn' | 'bad' = 'ok'): HTMLDivElement {
  const el = h('div', { class: `bar ${kind}` }, h('div', { class: 'bar-fill' }));
  setBar(el, fraction);
  return el;
}

/** Sets a bar's fill through the CSSOM, which the page's style-src 'self' allows (a style attribute it would not). */
export function setBar(el: HTMLElement, fraction: number): void {
  (el.firstElementChild as HTMLElement).style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
}
