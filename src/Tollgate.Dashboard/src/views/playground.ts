import { get, type Model } from '../api';
import { card, field, h, notice, option, replace } from '../dom';
import { count, ms, usd } from '../format';
import { session } from '../session';

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

interface StreamUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
  cost?: number | null;
}

/** A chat with one model through POST /v1/chat/completions, streamed, with each reply's usage and cost. */
export async function playgroundView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const { data } = await get<{ data: Model[] }>('/v1/models');
  const chat = data.filter((m) => m.mode === 'chat').sort((a, b) => a.id.localeCompare(b.id));
  const wanted = params.get('model') ?? chat.find((m) => m.owned_by === 'demo')?.id ?? chat[0]?.id ?? '';
  const model = h('select', { name: 'model', 'aria-label': 'Model' }, ...chat.map((m) => option(m.id, m.id, m.id === wanted)));
  const maxTokens = h('input', { name: 'max_tokens', type: 'number', min: '1', step: '1', value: '256' });
  const system = h('textarea', { name: 'system', rows: 2, placeholder: 'optional system prompt' });
  const prompt = h('textarea', { name: 'prompt', rows: 3, placeholder: 'Say something…', 'aria-label': 'Message' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const stop = h('button', { type: 'button', disabled: true }, 'Stop');
  const clear = h('button', { type: 'button' }, 'New chat');
  const log = h('div', { class: 'chat', 'data-testid': 'chat' });
  const totals = h('div', { class: 'muted', 'data-testid': 'session-cost' });
  const history: Message[] = [];
  let sessionCost = 0;
  let controller: AbortController | null = null;

  const showTotals = () => replace(totals, history.length ? `This chat: ${usd(sessionCost)} over ${history.filter((m) => m.role === 'assistant').length} replies.` : '');
  clear.addEventListener('click', () => {
    history.length = 0;
    sessionCost = 0;
    replace(log);
    showTotals();
  });
  stop.addEventListener('click', () => controller?.abort());

  const form = h('form', {
    class: 'composer',
    onsubmit: async (e) => {
      e.preventDefault();
      const text = prompt.value.trim();
      if (!text || controller) {
        return;
      }
      prompt.value = '';
      history.push({ role: 'user', content: text });
      log.appendChild(bubble('user', text));
      const reply = h('div', { class: 'text' });
      const meta = h('div', { class: 'reply-meta' }, 'streaming…');
      log.appendChild(h('div', { class: 'msg assistant', 'data-testid': 'reply' }, h('div', { class: 'who' }, model.value), reply, meta));
      reply.scrollIntoView({ block: 'end' });
      send.disabled = true;
      stop.disabled = false;
      controller = new AbortController();
      const messages: Message[] = system.value.trim() ? [{ role: 'system', content: system.value.trim() }, ...history] : [...history];
      try {
        const result = await stream(model.value, messages, Number(maxTokens.value) || undefined, controller.signal, (delta) => {
          reply.textContent += delta;
        });
        history.push({ role: 'assistant', content: reply.textContent ?? '' });
        sessionCost += result.usage?.cost ?? 0;
        replace(meta, usageLine(result));
      } catch (err) {
        history.pop();
        replace(meta, notice(err instanceof Error ? err.message : String(err)));
      } finally {
        controller = null;
        send.disabled = false;
        stop.disabled = true;
        showTotals();
      }
    },
  },
    prompt,
    h('div', { class: 'row' }, send, stop, clear, totals),
  );
  prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      form.requestSubmit();
    }
  });

  replace(root,
    h('header', { class: 'view-head' }, h('h1', null, 'Playground')),
    h('div', { class: 'playground' },
      card(null, h('div', { class: 'form-grid' }, field('Model', model), field('Max tokens', maxTokens), field('System', system))),
      chat.length === 0 ? notice('No chat model is enabled: configure a provider.') : null,
      h('section', { class: 'card chat-card' }, log, form)));
  prompt.focus();
}

function bubble(role: 'user' | 'assistant', text: string): HTMLElement {
  return h('div', { class: `msg ${role}` }, h('div', { class: 'who' }, role === 'user' ? 'you' : 'assistant'), h('div', { class: 'text' }, text));
}

interface StreamResult {
  usage: StreamUsage | null;
  requestId: string | null;
  ttftMs: number | null;
  totalMs: number;
  finish: string | null;
}

function usageLine(r: StreamResult): HTMLElement {
  const u = r.usage;
  const parts = [
    u ? `${count(u.prompt_tokens ?? 0)} in${u.prompt_tokens_details?.cached_tokens ? ` (${count(u.prompt_tokens_details.cached_tokens)} cached)` : ''}` : null,
    u ? `${count(u.completion_tokens ?? 0)} out${u.completion_tokens_details?.reasoning_tokens ? ` (${count(u.completion_tokens_details.reasoning_tokens)} reasoning)` : ''}` : null,
    `first token ${ms(r.ttftMs)}`,
    `total ${ms(r.totalMs)}`,
    r.finish ? `finish: ${r.finish}` : null,
  ].filter(Boolean);
  return h('span', null,
    h('strong', { 'data-testid': 'reply-cost' }, u?.cost === undefined || u?.cost === null ? 'cost unknown (unpriced)' : usd(u.cost)),
    ' · ', parts.join(' · '),
    r.requestId ? h('span', null, ' · ', h('a', { href: `#/requests?id=${encodeURIComponent(r.requestId)}` }, 'ledger entry')) : null);
}

/** Streams one completion, reading the server-sent events as they arrive; the usage chunk carries the cost. */
async function stream(model: string, messages: Message[], maxTokens: number | undefined, signal: AbortSignal, onDelta: (text: string) => void): Promise<StreamResult> {
  const started = performance.now();
  const res = await fetch('/v1/chat/completions', {
    method: 'POST',
    signal,
    credentials: 'omit',
    headers: { Authorization: `Bearer ${session.key()}`, 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true }, max_tokens: maxTokens }),
  });
  const requestId = res.headers.get('x-tollgate-request-id');
  if (!res.ok || !res.body) {
    const text = await res.text();
    let message = `HTTP ${res.status}`;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // Not JSON.
    }
    throw new Error(`${res.status}: ${message}`);
  }
  const result: StreamResult = { usage: null, requestId, ttftMs: null, totalMs: 0, finish: null };
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffer += value;
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (!data || data === '[DONE]') {
        continue;
      }
      const chunk = JSON.parse(data) as {
        error?: { message?: string };
        choices?: { delta?: { content?: string | null; reasoning_content?: string | null }; finish_reason?: string | null }[];
        usage?: StreamUsage | null;
      };
      if (chunk.error) {
        throw new Error(chunk.error.message ?? 'The stream ended with an error.');
      }
      for (const choice of chunk.choices ?? []) {
        const text = choice.delta?.content;
        if (text) {
          result.ttftMs ??= performance.now() - started;
          onDelta(text);
        }
        result.finish = choice.finish_reason ?? result.finish;
      }
      if (chunk.usage) {
        result.usage = chunk.usage;
      }
    }
  }
  result.totalMs = performance.now() - started;
  return result;
}
