import { Command, Option } from 'commander';
import { VexilError } from '../errors/index.js';
import { eventsOptions } from '../events/events-config.js';
import { publishingOptions } from '../publishing/publishing-config.js';
import { replicationOptions } from '../replication/replication-config.js';
import { DEFAULTS, resolveServeConfig, type ServeFlags } from '../server/config.js';
import type { RunningServer } from '../server/start-server.js';
import { adaptYoungGeneration, keepYoungGenerationSmall } from './young-generation.js';

/** `vexil serve`: the HTTP server. */
export function serveCommand(): Command {
  const command = new Command('serve')
    .description('Run the Vexil server (admin API, OpenAPI docs, health checks)')
    .addOption(
      new Option(
        '--db <url>',
        `SQLite file, or postgres://… for PostgreSQL (env: VEXIL_DB, default: ${DEFAULTS.db})`,
      ),
    )
    .addOption(
      new Option(
        '--port <port>',
        `port to listen on; 0 picks a free one (env: VEXIL_PORT, default: ${DEFAULTS.port})`,
      ),
    )
    .addOption(
      new Option('--host <host>', `address to listen on (env: VEXIL_HOST, default: ${DEFAULTS.host})`),
    )
    .addOption(
      new Option(
        '--read-only',
        'serve only SDK and health endpoints: no admin API, no writes (env: VEXIL_READ_ONLY)',
      ),
    )
    .addOption(
      new Option(
        '--migrate',
        'apply database migrations at start (env: VEXIL_MIGRATE; default: on for SQLite, off for PostgreSQL)',
      ),
    )
    .addOption(new Option('--no-migrate', 'do not migrate; refuse to start on an older schema'))
    .addOption(
      new Option(
        '--flags <file>',
        'file mode: serve the flags of this JSON or YAML file to SDKs, reloaded when it changes; no database, no admin API (env: VEXIL_FLAGS_FILE)',
      ),
    )
    .addOption(
      new Option(
        '--sdk-key <[environment:]key>',
        'file mode: an SDK key to accept, repeatable (env: VEXIL_SDK_KEYS, comma-separated); without one, keys are made and printed',
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .addOption(
      new Option(
        '--log-level <level>',
        'fatal, error, warn, info, debug, trace or silent (env: VEXIL_LOG_LEVEL, default: info)',
      ),
    );
  for (const option of [...replicationOptions(), ...eventsOptions(), ...publishingOptions()])
    command.addOption(option);
  return command
    .addHelpText(
      'after',
      [
        '',
        'Environment only:',
        '  VEXIL_ADMIN_TOKEN  a long random secret that becomes an admin key (on the first start,',
        '                     or at any start when no key has that secret). Without it, the first',
        '                     start creates an admin key and prints it once.',
        '  VEXIL_PUBLISH_S3_ACCESS_KEY_ID, VEXIL_PUBLISH_S3_SECRET_ACCESS_KEY',
        "                     credentials for --publish-s3 (default: the AWS SDK's own chain)",
        '',
        'Examples:',
        '  vexil serve',
        '  vexil serve --port 5000 --db ./other.db',
        '  vexil serve --flags ./flags.yaml --sdk-key production:vx_server_…',
        '  VEXIL_DB=postgres://vexil@db:5432/vexil vexil serve --migrate',
      ].join('\n'),
    )
    .action(async (flags: ServeFlags & { flags?: string; sdkKey?: string[] }) => {
      // Before the server's modules load: startup and imports need no large young generation.
      const adaptive = keepYoungGenerationSmall();
      let server: RunningServer;
      try {
        const fileMode = await import('../file-mode/serve-file-mode.js');
        const file = fileMode.flagsFileOf(flags, process.env);
        if (file !== undefined) {
          const running = await fileMode.serveFileMode(file, flags, process.env);
          if (adaptive) adaptYoungGeneration(running.app.server);
          stopOnSignals(running);
          return;
        }
        // Loaded here, so the client commands start without loading the whole server.
        const { startServer } = await import('../server/start-server.js');
        server = await startServer(resolveServeConfig(flags, process.env));
      } catch (error) {
        process.stderr.write(`vexil serve: ${describe(error)}\n`);
        process.exitCode = 1;
        return;
      }
      if (adaptive) adaptYoungGeneration(server.app.server);
      stopOnSignals(server);
    });
}

function describe(error: unknown): string {
  if (error instanceof VexilError && error.issues.length > 0) {
    return `${error.message.split(' (')[0]}:\n${error.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** SIGTERM or SIGINT: finish requests in flight, close the store, exit. A second signal exits at once. */
function stopOnSignals(server: RunningServer): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      server.app.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      server.app.log.error('shutdown took longer than 10 s: exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    server
      .close()
      .then(() => {
        server.app.log.info('vexil stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
