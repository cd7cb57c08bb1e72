import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import YAML from 'yaml';
import { CliError, usageError } from '../cli-error.js';
import { type ConnectionFlags, connect, seg, withConnection } from '../command-kit.js';
import { EXIT } from '../exit-codes.js';

interface ExportFlags extends ConnectionFlags {
  env?: string;
  format?: 'json' | 'yaml';
  output?: string;
  yaml?: boolean;
}

/** `vexil export`: a project, or one environment, in the flag-set format. */
export function exportCommand(): Command {
  const cmd = new Command('export')
    .description('Export a project (or one environment as it sees its flags) as JSON or YAML')
    .option('-e, --env <environment>', 'export one environment: each flag as that environment sees it')
    .addOption(
      new Option('-f, --format <format>', "json or yaml (default: from -o's extension, else json)").choices([
        'json',
        'yaml',
      ]),
    )
    .option('--json', 'same as --format json')
    .option('--yaml', 'same as --format yaml')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  vexil export > flags.json',
        '  vexil export -o flags.yaml',
        '  vexil export --env production --yaml',
      ].join('\n'),
    );
  withConnection(cmd).action(async (o: ExportFlags) => {
    const { api, project } = connect(o);
    const format = exportFormat(o);
    const { body } = await api.request<{ flags: Record<string, unknown> }>(
      'GET',
      `/api/v1/projects/${seg(project)}/export`,
      { query: { environment: o.env } },
    );
    const text =
      format === 'yaml'
        ? YAML.stringify(body, { aliasDuplicateObjects: false })
        : `${JSON.stringify(body, null, 2)}\n`;
    if (o.output === undefined) {
      process.stdout.write(text);
      return;
    }
    try {
      await writeFile(o.output, text);
    } catch (error) {
      throw new CliError(`cannot write ${o.output}: ${(error as Error).message}`, { exitCode: EXIT.ERROR });
    }
    const count = Object.keys(body.flags).length;
    process.stderr.write(
      `exported ${count} flag${count === 1 ? '' : 's'} of ${project}${o.env === undefined ? '' : ` (${o.env})`} to ${o.output}\n`,
    );
  });
  return cmd;
}

function exportFormat(o: ExportFlags): 'json' | 'yaml' {
  const asked = [o.format, o.json === true ? 'json' : undefined, o.yaml === true ? 'yaml' : undefined].filter(
    (f): f is 'json' | 'yaml' => f !== undefined,
  );
  if (new Set(asked).size > 1) throw usageError('give one format: --format, --json or --yaml');
  if (asked[0] !== undefined) return asked[0];
  return o.output !== undefined && /\.ya?ml$/i.test(o.output) ? 'yaml' : 'json';
}
