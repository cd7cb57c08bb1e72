#!/usr/bin/env node
import { runCli } from './run-cli.js';

const code = await runCli(process.argv);
// `vexil serve` keeps running (and sets its own exit code when it fails to start).
if (code !== 0) process.exitCode = code;
