import { type Issue, ValidationError } from '../errors/index.js';
import { resolveServeConfig, type ServeFlags } from '../server/config.js';
import { parseSdkKeys } from './sdk-keys.js';
import { type RunningFileServer, startFileServer } from './start-file-server.js';

/** `vexil serve` flags that file mode reads. */
export interface FileModeFlags extends ServeFlags {
  readonly flags?: string | undefined;
  readonly sdkKey?: readonly string[] | undefined;
}

/** The flags file `vexil serve` was given (`--flags` or `VEXIL_FLAGS_FILE`), if any. */
export function flagsFileOf(flags: FileModeFlags, env: NodeJS.ProcessEnv): string | undefined {
  const value = flags.flags ?? env.VEXIL_FLAGS_FILE;
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Starts file mode from `vexil serve` flags: `--port`, `--host`, `--log-level` and signing
 * work as usual; options about a database are refused (there is none).
 */
export async function serveFileMode(
  file: string,
  flags: FileModeFlags,
  env: NodeJS.ProcessEnv,
  print?: (text: string) => void,
): Promise<RunningFileServer> {
  const issues: Issue[] = [];
  if (flags.db !== undefined)
    issues.push({ path: '--db', message: 'file mode has no database: drop --db or --flags' });
  if (flags.migrate !== undefined)
    issues.push({ path: '--migrate', message: 'file mode has no database to migrate' });
  if (issues.length > 0) throw new ValidationError(issues, 'invalid configuration');
  const { db: _db, ...rest } = flags;
  const base = resolveServeConfig(rest, { ...env, VEXIL_DB: undefined });
  return startFileServer(
    {
      file,
      port: base.port,
      host: base.host,
      logLevel: base.logLevel,
      signing: base.signing,
      sdkKeys: parseSdkKeys(flags.sdkKey ?? [], env.VEXIL_SDK_KEYS),
    },
    print,
  );
}
