import { type Command, Option } from 'commander';
import { usageError } from './cli-error.js';
import { type ApiClient, createApiClient } from './client/api-client.js';

/** Default server address (`vexil serve` listens on 4280). */
export const DEFAULT_URL = 'http://localhost:4280';
export const DEFAULT_PROJECT = 'default';

/** Options every command that talks to a server takes. */
export interface ConnectionFlags {
  readonly url?: string;
  readonly token?: string;
  readonly project?: string;
  readonly timeout?: string;
  readonly json?: boolean;
}

/** Adds `--url`, `--token`, `--timeout` (and `--project` unless it is off) to a command. */
export function withConnection(command: Command, options: { project?: boolean } = {}): Command {
  command
    .addOption(new Option('--url <url>', `server address (env: VEXIL_URL, default: ${DEFAULT_URL})`))
    .addOption(new Option('--token <key>', 'API key, an admin key for most commands (env: VEXIL_TOKEN)'))
    .addOption(new Option('--timeout <seconds>', 'give up on a request after this long (default: 30)'));
  if (options.project !== false) {
    command.addOption(
      new Option('-p, --project <key>', `project (env: VEXIL_PROJECT, default: ${DEFAULT_PROJECT})`),
    );
  }
  return command;
}

/** Adds `--json`: the answer as JSON on stdout, for scripts. */
export function withJson(command: Command): Command {
  return command.addOption(new Option('--json', 'print JSON instead of a table'));
}

/** The API client and project a command's options (and `VEXIL_*` variables) name. */
export function connect(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
): { api: ApiClient; project: string } {
  const url = flags.url ?? nonEmpty(env.VEXIL_URL) ?? DEFAULT_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`--url: not a URL: ${JSON.stringify(url)} (expected e.g. ${DEFAULT_URL})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`--url: expected an http:// or https:// address, got ${JSON.stringify(url)}`);
  }
  let timeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    const seconds = Number(flags.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw usageError(`--timeout: expected a number of seconds, got ${JSON.stringify(flags.timeout)}`);
    }
    timeoutMs = seconds * 1000;
  }
  const token = flags.token ?? nonEmpty(env.VEXIL_TOKEN);
  const project = flags.project ?? nonEmpty(env.VEXIL_PROJECT) ?? DEFAULT_PROJECT;
  return {
    api: createApiClient({ url, token, ...(timeoutMs === undefined ? {} : { timeoutMs }) }),
    project,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A path segment, escaped. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/** Every item of a paged list (pages of 1000), or the first `limit`. */
export async function listAll<T>(
  api: ApiClient,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  limit?: number,
): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const want = limit === undefined ? 1000 : Math.min(1000, limit - items.length);
    const { body } = await api.request<{ items: T[]; total?: number }>('GET', path, {
      query: { ...query, limit: want, offset: items.length },
    });
    items.push(...body.items);
    // Some lists (environments) are not paged: no total, everything at once.
    if (body.total === undefined) return limit === undefined ? items : items.slice(0, limit);
    if (
      body.items.length === 0 ||
      items.length >= body.total ||
      (limit !== undefined && items.length >= limit)
    ) {
      return items;
    }
  }
}

/** The project's environment keys, in their order. */
export async function environmentKeys(api: ApiClient, project: string): Promise<string[]> {
  const items = await listAll<{ key: string }>(api, `/api/v1/projects/${seg(project)}/environments`, {});
  return items.map((e) => e.key);
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function positiveInt(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw usageError(`${option}: expected a whole number of at least 1, got ${JSON.stringify(text)}`);
  return n;
}
