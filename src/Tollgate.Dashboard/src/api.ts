// The gateway's own JSON API, called with the signed-in key as a Bearer token (same origin, no cookies).
import { session } from './session';

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code: string | null = null, readonly param: string | null = null) {
    super(message);
  }
}

export type Query = Record<string, string | number | undefined | null | string[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) {
    return path;
  }
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') {
      continue;
    }
    for (const item of Array.isArray(v) ? v : [v]) {
      params.append(k, String(item));
    }
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Calls the API with `key` (default: the session's) and returns the parsed JSON; non-2xx answers throw ApiError. */
export async function call<T>(method: string, path: string, options: { query?: Query; body?: unknown; key?: string } = {}): Promise<T> {
  const key = options.key ?? session.key();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (key) {
    headers.Authorization = `Bearer ${key}`;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, `The gateway did not answer: ${String(e)}`);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: reported below.
  }
  if (!res.ok) {
    const err = (json as { error?: { message?: string; code?: string; param?: string } } | null)?.error;
    throw new ApiError(res.status, err?.message ?? `HTTP ${res.status}`, err?.code ?? null, err?.param ?? null);
  }
  return json as T;
}

export const get = <T>(path: string, query?: Query) => call<T>('GET', path, { query });

export interface UsageSums {
  requests: number;
  failed_requests: number;
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost: number;
  unpriced_requests: number;
}

export interface UsageReport {
  from: string;
  to: string | null;
  group_by: string | null;
  data: (UsageSums & Record<string, string | number | null>)[];
  total: UsageSums;
}

export interface SeriesReport {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  group_by: string | null;
  data: (UsageSums & { start: string } & Record<string, string | number | null>)[];
}

export interface Percentiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface LatencyReport {
  group_by: string;
  data: (Record<string, string | number | null> & {
    requests: number;
    failed_requests: number;
    error_rate: number;
    latency_ms: Percentiles;
    ttft_ms: Percentiles;
  })[];
}

export interface RequestEntry {
  id: string;
  created_at: string;
  key: string | null;
  endpoint: string;
  provider: string | null;
  model: string | null;
  stream: boolean;
  status: number;
  error_type: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  usage: { input_tokens: number; cache_read_tokens: number; cache_write_tokens: number; output_tokens: number; reasoning_tokens: number };
  cost: number | null;
  /** The catalog price when it differs from `cost` (a free tier); null otherwise. */
  list_cost: number | null;
  estimated: boolean;
  unpriced: boolean;
  /** Every attempt sent upstream, in order; empty when the request was refused before it was sent. */
  attempts: Attempt[];
}

export interface Attempt {
  provider: string;
  model: string;
  status: number;
  failure: string | null;
  latency_ms: number;
}

export interface RequestDetail extends RequestEntry {
  pricing: { input: number; cached_input: number; cache_write: number; output: number } | null;
  cost_breakdown: { input: number; cache_read: number; cache_write: number; output: number; long_context: boolean } | null;
}

export interface RequestPage {
  data: RequestEntry[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface VirtualKey {
  prefix: string;
  name: string | null;
  disabled: boolean;
  scopes: string[];
  limit: { retention: string; threshold: number | null };
  created_at: string;
  updated_at: string;
  monthly_usage: number;
  rpm: number | null;
  tpm: number | null;
  max_parallel: number | null;
  allowed_models: string[];
  expires_at: string | null;
  metadata: Record<string, string>;
  key?: string;
}

export interface Budget {
  key: string;
  name: string | null;
  retention: string;
  threshold: number;
  spent: number;
  reserved: number;
  remaining: number;
  period_start: string | null;
  resets_at: string | null;
}

export interface Model {
  id: string;
  owned_by: string;
  mode: string;
  context_length: number | null;
  max_output_tokens: number | null;
  pricing: { input: number; cached_input: number; output: number };
  capabilities?: string[];
}

export interface CostRow {
  model: string;
  id?: string;
  error?: string;
  cost?: number;
  breakdown?: { input: number; cache_read: number; cache_write: number; output: number; long_context: boolean };
}
