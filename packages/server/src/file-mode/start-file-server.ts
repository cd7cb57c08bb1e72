import { basename } from 'node:path';
import { createDelivery } from '../delivery/delivery.js';
import type { SigningOptions } from '../delivery/signing/signing-keys.js';
import { ValidationError, VexilError } from '../errors/index.js';
import { createEventPipeline } from '../events/event-pipeline.js';
import { createServer } from '../http/create-server.js';
import type { RunningServer } from '../server/start-server.js';
import { createVexil, type Vexil } from '../services/vexil.js';
import { createSqliteStore } from '../stores/sqlite/sqlite-store.js';
import { environmentsOf, type LoadedFlagFile, loadFlagFile } from './load-flag-file.js';
import { installSdkKeys, resolveSdkKeys, type SdkKeySpec } from './sdk-keys.js';
import { watchFile } from './watch-file.js';

/** What `vexil serve --flags <file>` needs. */
export interface FileModeConfig {
  readonly file: string;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly sdkKeys: readonly SdkKeySpec[];
  readonly signing?: SigningOptions | undefined;
  /** Quiet time after a change before the file is read again (default 200 ms). */
  readonly debounceMs?: number | undefined;
  /** Safety-net poll for file systems without change events (default 2 s). */
  readonly pollMs?: number | undefined;
}

/** A file-mode server: a `RunningServer`, plus a way to reload the file now. */
export interface RunningFileServer extends RunningServer {
  /** The project the file's flags are served as. */
  readonly project: string;
  /** Reads the file again (as a change would); resolves once it is applied or refused. */
  reload(): Promise<void>;
}

const DEFAULT_PROJECT = 'default';
const DEFAULT_ENVIRONMENT = 'default';

/**
 * Serves the flags of a file, like flagd: SDK snapshot, stream and OFREP routes, reloaded
 * when the file changes. Nothing is written to disk: the flags live in an in-memory store
 * that only the file fills; the admin API answers 403 `READ_ONLY`. A bad edit is logged
 * with every issue's path and the last good flags stay served.
 */
export async function startFileServer(
  config: FileModeConfig,
  print: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
): Promise<RunningFileServer> {
  const first = await loadFlagFile(config.file);
  if (!first.ok) throw new ValidationError([...first.issues], `${config.file} is not a valid flag set`);
  const project = first.flagSet.project ?? DEFAULT_PROJECT;
  const named = environmentsOf(first.flagSet);
  const keyEnvironments = config.sdkKeys.flatMap((k) => (k.environment === undefined ? [] : [k.environment]));
  const environments = [...new Set([...named, ...keyEnvironments])];
  if (environments.length === 0) environments.push(DEFAULT_ENVIRONMENT);
  const { keys, generated } = resolveSdkKeys(config.sdkKeys, environments);

  const store = createSqliteStore({ path: ':memory:' });
  try {
    await store.migrate();
    const vexil = createVexil({ store, keys: { recordLastUsed: false } });
    const actor = { actor: `file ${basename(config.file)}` };
    await vexil.projects.create(
      project,
      { name: `flags from ${basename(config.file)}`, environments },
      actor,
    );
    await installSdkKeys(store, project, keys);
    await apply(vexil, project, first, actor);

    const delivery = createDelivery({ vexil, signing: config.signing, readOnly: true });
    // Events from SDKs are accepted and dropped: there is no database to keep them in, and an
    // in-memory copy would only grow.
    const events = createEventPipeline({
      store: {
        appendEventBatches: async (batches) => batches.map((b) => ({ batchId: b.batchId, duplicate: false })),
      },
    });
    const app = await createServer({
      vexil,
      readOnly: true,
      logger: { level: config.logLevel },
      delivery,
      events,
    });
    delivery.setLogger(app.log);
    await delivery.start();

    let lastHash: string | undefined = first.hash;
    let queue: Promise<void> = Promise.resolve();
    const reloadNow = async () => {
      const loaded = await loadFlagFile(config.file);
      if (loaded.hash === lastHash) return;
      if (loaded.hash !== undefined) lastHash = loaded.hash;
      if (!loaded.ok) {
        app.log.error(
          { file: config.file, issues: loaded.issues },
          'flags file rejected: still serving the last good version',
        );
        return;
      }
      try {
        const result = await apply(vexil, project, loaded, actor);
        app.log.info({ file: config.file, ...result }, 'flags file reloaded');
      } catch (error) {
        const issues = error instanceof VexilError ? error.issues : [];
        app.log.error(
          { file: config.file, err: error, issues },
          'flags file rejected: still serving the last good version',
        );
      }
    };
    const reload = () => {
      queue = queue.then(reloadNow, reloadNow);
      return queue;
    };
    const watcher = watchFile(config.file, {
      onChange: () => void reload(),
      debounceMs: config.debounceMs,
      pollMs: config.pollMs,
    });

    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    if (generated) print(keyNotice(keys, url));
    app.log.info(
      {
        url,
        port,
        file: config.file,
        project,
        environments,
        flags: Object.keys(first.flagSet.flags).length,
        mode: 'file',
      },
      'vexil ready',
    );
    return {
      app,
      vexil,
      store,
      delivery,
      url,
      project,
      reload,
      async close() {
        watcher.close();
        await queue;
        await app.close();
        await events.close();
        delivery.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Makes the project's flags and segments exactly the file's (one commit: SDKs get one patch). */
async function apply(
  vexil: Vexil,
  project: string,
  loaded: Extract<LoadedFlagFile, { ok: true }>,
  actor: { actor: string },
) {
  const { environment: _environment, project: _project, ...flagSet } = loaded.flagSet;
  const existing = new Set((await vexil.environments.list(project)).map((e) => e.key));
  for (const name of environmentsOf(loaded.flagSet)) {
    if (!existing.has(name)) await vexil.environments.create(project, name, {}, actor);
  }
  const result = await vexil.io.import(project, flagSet, { mode: 'replace', ...actor });
  return {
    flags: Object.keys(flagSet.flags).length,
    created: result.flags.created.length,
    updated: result.flags.updated.length,
    deleted: result.flags.deleted.length,
  };
}

function keyNotice(keys: readonly (SdkKeySpec & { environment: string })[], url: string): string {
  return [
    '',
    '  File mode: no --sdk-key / VEXIL_SDK_KEYS given, so these SDK keys were made for this run',
    '  (they change at every start; pass your own to keep them):',
    '',
    ...keys.map((k) => `    ${k.environment.padEnd(12)} ${k.kind.padEnd(6)} ${k.secret}`),
    '',
    `  e.g. curl -H "Authorization: Bearer ${keys[0]?.secret ?? '<key>'}" ${url}/api/v1/sdk/snapshot`,
    '',
  ].join('\n');
}
