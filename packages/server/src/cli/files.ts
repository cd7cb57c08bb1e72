import { readFile } from 'node:fs/promises';
import { parseYaml } from '../services/io/parse-yaml.js';
import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';

/** A JSON or YAML file (`-` for stdin), parsed; errors name the file and the line. */
export async function readStructured(file: string): Promise<unknown> {
  const text = await readText(file);
  return parseStructured(text, file);
}

export async function readText(file: string): Promise<string> {
  try {
    return file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, { exitCode: EXIT.USAGE });
  }
}

/** JSON when it looks like JSON, YAML otherwise (YAML reads JSON too, but JSON's errors are clearer). */
export function parseStructured(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`, {
        exitCode: EXIT.VALIDATION,
      });
    }
  }
  const parsed = parseYaml(text);
  if (!parsed.ok)
    throw new CliError(`${file} is not valid YAML`, { exitCode: EXIT.VALIDATION, issues: parsed.issues });
  return parsed.value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
