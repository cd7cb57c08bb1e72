import { Command } from 'commander';
import { VERSION } from '../version.js';
import { serveCommand } from './serve.js';

/** The `vexil` command line. More subcommands join `serve` here. */
export function buildProgram(): Command {
  const program = new Command('vexil')
    .description('Vexil: self-hosted feature flags and experimentation')
    .version(VERSION)
    .showHelpAfterError();
  program.addCommand(serveCommand());
  return program;
}
