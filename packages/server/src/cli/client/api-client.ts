import { CliError } from '../cli-error.js';
import { EXIT, exitCodeForStatus } from '../exit-codes.js';

/** Where the server is and which key to use. */
export interface Connection {
  readonly url: string;
  readonly token: string | undefined;
  /** Milliseconds before a request is given up (default 30 s). */
  readonly timeoutMs?: number;
}

export interface RequestOptions {
  readonly query?: Record<string, string | number | boolean | undefined>;
  /** A value sent as JSON. */
  readonly json?: unknown;
  /** A raw body (with `contentType`), sent in pieces so `onUpload` can report progress. */
  readonly raw?: { readonly bytes: Uint8Array; readonly contentType: string };
  readonly headers?: Record<string, string>;
  /** Called as the body is handed to the socket: bytes sent so far, and the total. */
  readonly onUpload?: ((sent: number, total: number) => void) | undefined;
}

/** An answer: status, headers, and the body parsed from JSON (undefined when empty). */
export interface ApiResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** The admin API over HTTP, with every failure turned into a `CliError` with its exit code. */
export interface ApiClient {
  readonly url: string;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
}

const UPLOAD_PIECE = 64 * 1024;

/**
 * A client of the admin API on Node's fetch.
 * @example
 * const api = createApiClient({ url: 'http://localhost:4280', token: process.env.VEXIL_TOKEN });
 * const { body } = await api.request('GET', '/api/v1/projects/default/flags');
 */
export function createApiClient(connection: Connection): ApiClient {
  const base = connection.url.replace(/\/+$/, '');
  const timeoutMs = connection.timeoutMs ?? 30_000;
  return {
    url: base,
    async request<T>(method: string, path: string, options: RequestOptions = {}) {
      const url = new URL(base + path);
      for (const [name, value] of Object.entries(options.query ?? {})) {
        if (value !== undefined) url.searchParams.set(name, String(value));
      }
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
      if (connection.token !== undefined) headers.authorization = `Bearer ${connection.token}`;
      const init: RequestInit & { duplex?: 'half' } = {
        method,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      };
      if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        init.body = JSON.stringify(options.json);
      } else if (options.raw !== undefined) {
        headers['content-type'] = options.raw.contentType;
        headers['content-length'] = String(options.raw.bytes.byteLength);
        init.body = pieces(options.raw.bytes, options.onUpload);
        init.duplex = 'half';
      }
      let response: Response;
      try {
        response = await fetch(url, init);
      } catch (error) {
        throw unreachable(base, error, timeoutMs);
      }
      const text = await response.text();
      let body: unknown;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      if (!response.ok) throw httpError(response.status, body, method, url.pathname);
      return { status: response.status, headers: response.headers, body: body as T };
    },
  };
}

/** The body as a stream of pieces: the stream is pulled as the socket drains, so progress is real. */
function pieces(
  bytes: Uint8Array,
  onUpload?: (sent: number, total: number) => void,
): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(offset + UPLOAD_PIECE, bytes.byteLength);
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
      onUpload?.(offset, bytes.byteLength);
    },
  });
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; issues?: unknown };
}

function httpError(status: number, body: unknown, method: string, path: string): CliError {
  const error = typeof body === 'object' && body !== null ? (body as ErrorBody).error : undefined;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const message =
    typeof error?.message === 'string'
      ? error.message
      : `${method} ${path} answered HTTP ${status}${typeof body === 'string' && body !== '' ? `: ${body.slice(0, 200)}` : ''}`;
  const issues = Array.isArray(error?.issues)
    ? error.issues.flatMap((i: unknown) =>
        typeof i === 'object' && i !== null && typeof (i as { message?: unknown }).message === 'string'
          ? [
              {
                path: String((i as { path?: unknown }).path ?? ''),
                message: (i as { message: string }).message,
              },
            ]
          : [],
      )
    : [];
  // The server's message repeats the issues ("invalid request body (1 issue): key: …"): they are listed below it.
  const short = issues.length > 0 ? message.replace(/ \(\d+ issues?\)[\s\S]*$/, '') : message;
  return new CliError(short, {
    exitCode: exitCodeForStatus(status),
    issues,
    code,
    status,
    hint: hintFor(status, code),
  });
}

function hintFor(status: number, code: string | undefined): string | undefined {
  if (status === 401) return 'pass an admin key with --token or VEXIL_TOKEN (vx_admin_…)';
  if (status === 403 && code === 'READ_ONLY')
    return 'this server is read-only: point --url at a writable one';
  if (status === 403) return 'this command needs an admin key (vx_admin_…)';
  if (status === 412) return 'someone changed it since you read it: run the command again';
  if (status >= 500) return 'the server log has the details (search for the request id)';
  return undefined;
}

function unreachable(base: string, error: unknown, timeoutMs: number): CliError {
  const name = (error as { name?: unknown }).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new CliError(`${base} did not answer within ${timeoutMs / 1000} s`, {
      exitCode: EXIT.UNREACHABLE,
      hint: 'raise --timeout, or check the server',
    });
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const why =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : String(error);
  return new CliError(`cannot reach the Vexil server at ${base}: ${why}`, {
    exitCode: EXIT.UNREACHABLE,
    hint: 'is it running? Point --url or VEXIL_URL at it (default http://localhost:4280)',
  });
}
