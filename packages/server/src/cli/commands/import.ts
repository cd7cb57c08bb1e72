import type { FlagSetDefinition } from '@vexil/core';
import { Command, Option } from 'commander';
import { CliError, usageError } from '../cli-error.js';
import type { ApiClient } from '../client/api-client.js';
import { type ConnectionFlags, connect, seg, withConnection, withJson } from '../command-kit.js';
import { EXIT } from '../exit-codes.js';
import { parseStructured, readText } from '../files.js';
import { chunkFlagSet, type ImportAnswer, mergeAnswers } from '../import-chunks.js';
import { printJson, printLine } from '../output.js';
import { createProgress, formatBytes, type Progress } from '../progress.js';

interface ImportFlags extends ConnectionFlags {
  env?: string;
  mode: 'merge' | 'replace';
  dryRun?: boolean;
  chunkSize: string;
  progress: boolean;
}

/** Bodies at least this large show upload progress. */
const SHOW_UPLOAD_FROM = 256 * 1024;
/** Changes listed one per line; --json has them all. */
const MAX_LISTED = 50;
/** The server's import body limit (16 MiB): larger files must go in pieces. */
const SERVER_LIMIT = 16 * 1024 * 1024;

/** `vexil import <file>`: a flag set from JSON or YAML, merged or replacing, with a dry run. */
export function importCommand(): Command {
  const cmd = new Command('import')
    .description('Import flags and segments from a JSON or YAML file (an export, or flags-as-code)')
    .argument('<file>', 'the file (- reads stdin)')
    .option('-e, --env <environment>', "import one environment's view of each flag (an environment export)")
    .addOption(
      new Option('--mode <mode>', 'merge: add and update; replace: also delete what the file lacks')
        .choices(['merge', 'replace'])
        .default('merge'),
    )
    .option('--dry-run', 'show what would change, change nothing')
    .option(
      '--chunk-size <flags>',
      'merge files with more flags in commits of this many (0: always one commit)',
      '500',
    )
    .option('--no-progress', 'no progress line on stderr')
    .addHelpText(
      'after',
      [
        '',
        'The whole file is validated before anything changes (a dry run on the server). A file',
        'of up to --chunk-size flags, and every replace, is applied in one commit; a larger',
        'merge is applied in commits of --chunk-size flags (segments first, prerequisites before',
        'the flags that need them), with a progress line. Running it again is safe.',
        '',
        'Examples:',
        '  vexil import flags.yaml --dry-run',
        '  vexil import flags.yaml',
        '  vexil import production.json --env production',
        '  vexil export | vexil import - --project other --mode replace',
      ].join('\n'),
    );
  withConnection(withJson(cmd)).action(async (file: string, o: ImportFlags) => {
    const { api, project } = connect(o);
    const chunkSize = Number(o.chunkSize);
    if (!Number.isInteger(chunkSize) || chunkSize < 0) {
      throw usageError(
        `--chunk-size: expected a whole number (0 for one commit), got ${JSON.stringify(o.chunkSize)}`,
      );
    }
    const flagSet = await checkFile(parseStructured(await readText(file), file), file);
    const progress = createProgress({ enabled: o.progress && o.json !== true });
    const count = Object.keys(flagSet.flags).length;
    const oneCommit = o.dryRun === true || o.mode === 'replace' || chunkSize === 0 || count <= chunkSize;
    const run = new ImportRun(api, project, o, progress, !oneCommit);
    let answer: ImportAnswer;
    if (oneCommit) {
      answer = await run.send(
        flagSet,
        o.dryRun === true,
        `${o.dryRun === true ? 'checking' : 'importing'} ${count} flags`,
      );
    } else {
      const text = JSON.stringify(flagSet);
      if (Buffer.byteLength(text) <= SERVER_LIMIT) {
        await run.send(flagSet, true, `checking ${count} flags`);
      }
      const chunks = chunkFlagSet(flagSet, chunkSize);
      const answers: ImportAnswer[] = [];
      let done = 0;
      for (const [i, chunk] of chunks.entries()) {
        const size = Object.keys(chunk.flags).length;
        answers.push(
          await run.send(
            chunk,
            false,
            `importing flags ${done + 1}–${done + size} of ${count} (commit ${i + 1}/${chunks.length})`,
          ),
        );
        done += size;
        progress.update(`imported ${done}/${count} flags (${Math.floor((done / count) * 100)}%)`, true);
      }
      answer = mergeAnswers(answers);
    }
    progress.done();
    if (o.json === true) return printJson(answer);
    printLine(summary(answer, file));
  });
  return cmd;
}

/** The file checked against the flag-set schema here, so a broken file fails before any request. */
async function checkFile(value: unknown, file: string): Promise<FlagSetDefinition> {
  // Loaded on use: the other commands start faster without the schema library.
  const [{ FlagSetSchema }, { zodIssues }] = await Promise.all([
    import('@vexil/core'),
    import('../../services/zod-issues.js'),
  ]);
  const parsed = FlagSetSchema.safeParse(value);
  if (!parsed.success) {
    throw new CliError(`${file} is not a valid flag set`, {
      exitCode: EXIT.VALIDATION,
      issues: zodIssues(parsed.error),
    });
  }
  return parsed.data;
}

class ImportRun {
  constructor(
    private readonly api: ApiClient,
    private readonly project: string,
    private readonly o: ImportFlags,
    private readonly progress: Progress,
    /** Whether the file goes in several commits (each announced). */
    private readonly chunked: boolean,
  ) {}

  /** One import request; large bodies report upload progress as the socket takes them. */
  async send(flagSet: FlagSetDefinition, dryRun: boolean, label: string): Promise<ImportAnswer> {
    const bytes = new TextEncoder().encode(JSON.stringify(flagSet));
    const showUpload = bytes.byteLength >= SHOW_UPLOAD_FROM;
    if (showUpload || this.chunked) this.progress.update(`${label}…`, true);
    const { body } = await this.api.request<ImportAnswer>(
      'POST',
      `/api/v1/projects/${seg(this.project)}/import`,
      {
        query: { environment: this.o.env, mode: this.o.mode, dryRun: dryRun ? true : undefined },
        raw: { bytes, contentType: 'application/json' },
        onUpload: showUpload
          ? (sent, total) => {
              const text =
                sent < total
                  ? `${label}: sent ${formatBytes(sent)} of ${formatBytes(total)} (${Math.floor((sent / total) * 100)}%)`
                  : `${label}: sent ${formatBytes(total)}, the server is applying it…`;
              this.progress.update(text, sent >= total);
            }
          : undefined,
      },
    );
    return body;
  }
}

function summary(a: ImportAnswer, file: string): string {
  const count = (d: ImportAnswer['flags']) =>
    `${d.created.length} created, ${d.updated.length} updated, ${d.unchanged.length} unchanged, ${d.deleted.length} deleted`;
  const lines = [
    `${a.dryRun ? 'dry run: ' : ''}${file} → ${a.project}${a.environment === null ? '' : ` (${a.environment})`}, ${a.mode}`,
    `  flags:    ${count(a.flags)}`,
    `  segments: ${count(a.segments)}`,
  ];
  const tables = a.subjectWeights;
  const anyTables =
    tables !== undefined &&
    tables.created.length + tables.updated.length + tables.unchanged.length + tables.deleted.length > 0;
  if (anyTables) lines.push(`  weight tables: ${count(tables)}`);
  const changes: string[] = [];
  for (const [kind, d] of [
    ['flag', a.flags],
    ['segment', a.segments],
    ['weight table', tables ?? { created: [], updated: [], unchanged: [], deleted: [] }],
  ] as const) {
    for (const key of d.created) changes.push(`  + ${kind} ${key}`);
    for (const key of d.updated) changes.push(`  ~ ${kind} ${key}`);
    for (const key of d.deleted) changes.push(`  - ${kind} ${key}`);
  }
  lines.push(...changes.slice(0, MAX_LISTED));
  if (changes.length > MAX_LISTED)
    lines.push(`  … and ${changes.length - MAX_LISTED} more (--json lists them all)`);
  if (a.dryRun) lines.push('nothing was changed: run without --dry-run to apply');
  return lines.join('\n');
}
