import { ApiError, asApiError, toApiError } from './errors.js';

/** Query parameters; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  /** The version the change is based on: sent as `If-Match: "<version>"` (a stale one gets 412). */
  readonly ifMatch?: number;
  /** `*`: create only — sent as `If-None-Match: *` (something that exists gets 412). */
  readonly ifNoneMatch?: '*';
  readonly signal?: AbortSignal;
}

/** A thin client of the admin API: bearer key, JSON in and out, errors as ApiError. */
export interface HttpClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

export interface HttpClientOptions {
  /** An admin key (`vx_admin_…`). */
  readonly token: string;
  /** The person acting (for the audit log, as `X-Vexil-Actor`). */
  readonly actor?: string | undefined;
  /** Where the API is; default: this page's origin. */
  readonly baseUrl?: string;
  /** Called when the key stopped working (401). */
  readonly onUnauthenticated?: (error: ApiError) => void;
  readonly fetch?: typeof fetch;
}

/** `/api/v1/projects/a b` → `/api/v1/projects/a%20b`: each dynamic segment encoded. */
export function apiPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce(
    (out, part, i) => out + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''),
    '',
  );
}

export function queryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * Creates the client every page uses.
 * @example
 * const http = createHttpClient({ token: 'vx_admin_…' });
 * const projects = await http.request<Page<Project>>('GET', '/api/v1/projects');
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.baseUrl ?? '';
  return {
    async request<T>(method: string, path: string, request: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${options.token}`,
      };
      if (options.actor !== undefined && options.actor !== '') headers['x-vexil-actor'] = options.actor;
      if (request.ifMatch !== undefined) headers['if-match'] = `"${request.ifMatch}"`;
      if (request.ifNoneMatch !== undefined) headers['if-none-match'] = request.ifNoneMatch;
      let body: string | undefined;
      if (request.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.body);
      }
      let response: Response;
      try {
        response = await doFetch(`${base}${path}${queryString(request.query)}`, {
          method,
          headers,
          body: body ?? null,
          signal: request.signal ?? null,
          cache: 'no-store',
        });
      } catch (error) {
        throw asApiError(error);
      }
      const text = await response.text();
      if (!response.ok) {
        const error = toApiError(response.status, text);
        if (response.status === 401) options.onUnauthenticated?.(error);
        throw error;
      }
      if (text === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ApiError(response.status, 'BAD_RESPONSE', 'the server sent something that is not JSON');
      }
    },
  };
}
