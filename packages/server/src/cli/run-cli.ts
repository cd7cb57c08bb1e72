import { CommanderError } from 'commander';
import { CliError, formatError } from './cli-error.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { buildProgram } from './program.js';

/** Commander's ways of ending that are not mistakes. */
const FINE = new Set(['commander.helpDisplayed', 'commander.version', 'commander.executeSubCommandAsync']);

/**
 * Runs `vexil` with `argv` (as `process.argv`) and returns the exit code. Commander has
 * already printed its own usage errors; a `CliError` is printed here with every issue.
 */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) return FINE.has(error.code) ? EXIT.OK : EXIT.USAGE;
    if (error instanceof CliError) {
      process.stderr.write(`${formatError(error)}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `vexil: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.ERROR;
  }
}
