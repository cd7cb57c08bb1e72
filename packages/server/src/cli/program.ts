import { Command } from 'commander';
import { VERSION } from '../version.js';
import { exportCommand } from './commands/export.js';
import { flagsCommand } from './commands/flags.js';
import { importCommand } from './commands/import.js';
import { keysCommand } from './commands/keys.js';
import { rolloutCommand } from './commands/rollout.js';
import { serveCommand } from './serve.js';

/** The `vexil` command line. */
export function buildProgram(): Command {
  const program = new Command('vexil')
    .description('Vexil: self-hosted feature flags and experimentation')
    .version(VERSION)
    .addHelpText(
      'after',
      [
        '',
        'Commands other than serve talk to a server: --url or VEXIL_URL (default http://localhost:4280),',
        'an API key with --token or VEXIL_TOKEN, the project with --project or VEXIL_PROJECT (default',
        '"default"). Every read takes --json. Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 auth,',
        '4 not found, 5 invalid input, 6 conflict, 7 server unreachable, 8 server error.',
        '',
        'Examples:',
        '  vexil serve',
        '  export VEXIL_TOKEN=vx_admin_…',
        '  vexil flags create new-checkout --description "One-page checkout"',
        '  vexil flags enable new-checkout --env production',
        '  vexil rollout new-checkout --env production --on 25%',
        '  vexil export -o flags.yaml && vexil import flags.yaml --dry-run',
      ].join('\n'),
    );
  program.addCommand(serveCommand());
  program.addCommand(flagsCommand());
  program.addCommand(rolloutCommand());
  program.addCommand(exportCommand());
  program.addCommand(importCommand());
  program.addCommand(keysCommand());
  forEachCommand(program, (command) => {
    // Errors are thrown to `runCli`, which picks the exit code; the message says how to get help.
    command.exitOverride().showHelpAfterError('(add --help for usage)');
  });
  return program;
}

function forEachCommand(command: Command, fn: (command: Command) => void): void {
  fn(command);
  for (const sub of command.commands) forEachCommand(sub, fn);
}
