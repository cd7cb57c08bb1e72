import { Command, Option } from 'commander';
import { CliError, usageError } from '../cli-error.js';
import {
  type ConnectionFlags,
  collect,
  connect,
  environmentKeys,
  listAll,
  positiveInt,
  seg,
  withConnection,
  withJson,
} from '../command-kit.js';
import { describeFlag, type FlagView, isOn } from '../describe-flag.js';
import { EXIT } from '../exit-codes.js';
import { readStructured } from '../files.js';
import { printJson, printLine, printTable } from '../output.js';

const FLAG_TYPES = ['boolean', 'string', 'number', 'json'];

/** `vexil flags …`: list, get, create, enable, disable, archive, restore. */
export function flagsCommand(): Command {
  const flags = new Command('flags').description('List, read, create, switch and archive flags');
  flags.addCommand(listCommand());
  flags.addCommand(getCommand());
  flags.addCommand(createCommand());
  for (const on of [true, false]) flags.addCommand(switchCommand(on));
  for (const action of ['archive', 'restore'] as const) flags.addCommand(archiveCommand(action));
  return flags;
}

function listCommand(): Command {
  const cmd = new Command('list')
    .description('List the flags of a project, with their state in each environment')
    .option('--tag <tag>', 'only flags with this tag')
    .option('--text <text>', 'only flags whose key, name or description contains this')
    .option('--archived', 'list archived flags instead of live ones')
    .option('--limit <n>', 'at most this many (default: all)')
    .addHelpText('after', '\nExamples:\n  vexil flags list\n  vexil flags list --tag checkout --json');
  withConnection(withJson(cmd)).action(async (o: ConnectionFlags & ListFlags) => {
    const { api, project } = connect(o);
    const limit = o.limit === undefined ? undefined : positiveInt('--limit', o.limit);
    const items = await listAll<FlagView>(
      api,
      `/api/v1/projects/${seg(project)}/flags`,
      { tag: o.tag, text: o.text, archived: o.archived === true },
      limit,
    );
    if (o.json === true) return printJson(items);
    const environments = await environmentKeys(api, project);
    printTable(
      ['KEY', 'TYPE', ...environments.map((e) => e.toUpperCase()), 'TAGS', 'DESCRIPTION'],
      items.map((f) => [
        f.key,
        f.type,
        ...environments.map((e) => (isOn(f, e) ? 'on' : 'off')),
        (f.tags ?? []).join(','),
        f.description ?? '',
      ]),
    );
  });
  return cmd;
}

interface ListFlags {
  tag?: string;
  text?: string;
  archived?: boolean;
  limit?: string;
}

function getCommand(): Command {
  const cmd = new Command('get')
    .description('Show a flag: its variants and what it does in each environment')
    .argument('<flag>', 'flag key')
    .addHelpText(
      'after',
      '\nExamples:\n  vexil flags get new-checkout\n  vexil flags get new-checkout --json',
    );
  withConnection(withJson(cmd)).action(async (key: string, o: ConnectionFlags) => {
    const { api, project } = connect(o);
    const { body: flag } = await api.request<FlagView>(
      'GET',
      `/api/v1/projects/${seg(project)}/flags/${seg(key)}`,
    );
    if (o.json === true) return printJson(flag);
    printLine(describeFlag(flag, await environmentKeys(api, project)));
  });
  return cmd;
}

interface CreateFlags extends ConnectionFlags {
  type: string;
  name?: string;
  description?: string;
  tag?: string[];
  owner?: string;
  variant?: string[];
  temporary?: boolean;
  permanent?: boolean;
  clientVisible?: boolean;
  from?: string;
}

function createCommand(): Command {
  const cmd = new Command('create')
    .description('Create a flag (off in every environment until you enable it)')
    .argument('<flag>', 'flag key: letters, digits, . _ -')
    .addOption(new Option('-t, --type <type>', 'value type').choices(FLAG_TYPES).default('boolean'))
    .option('--name <name>', 'a readable name')
    .option('-d, --description <text>', 'what the flag is for')
    .option('--tag <tag>', 'a tag (repeat for more)', collect)
    .option('--owner <owner>', 'who owns it')
    .option('--variant <name=value>', 'a variant (repeat for more); value as JSON for json flags', collect)
    .option('--temporary', 'lifecycle: to be removed once rolled out')
    .option('--permanent', 'lifecycle: stays (a kill switch, an entitlement)')
    .option('--client-visible', 'client (browser) keys may see it')
    .option('--from <file>', 'the flag definition from a JSON or YAML file (options above win)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  vexil flags create new-checkout --description "One-page checkout" --tag checkout',
        '  vexil flags create banner-color --type string --variant red=red --variant blue=blue',
        '  vexil flags create pricing --from pricing.yaml',
      ].join('\n'),
    );
  withConnection(withJson(cmd)).action(async (key: string, o: CreateFlags) => {
    const { api, project } = connect(o);
    const definition: Record<string, unknown> = o.from === undefined ? {} : await readDefinition(o.from);
    if (o.from === undefined || cmd.getOptionValueSource('type') === 'cli') definition.type = o.type;
    if (o.name !== undefined) definition.name = o.name;
    if (o.description !== undefined) definition.description = o.description;
    if (o.tag !== undefined) definition.tags = o.tag;
    if (o.owner !== undefined) definition.owner = o.owner;
    if (o.temporary === true && o.permanent === true)
      throw usageError('give --temporary or --permanent, not both');
    if (o.temporary === true) definition.lifecycle = 'temporary';
    if (o.permanent === true) definition.lifecycle = 'permanent';
    if (o.clientVisible === true) definition.clientVisible = true;
    if (o.variant !== undefined)
      definition.variants = parseVariants(o.variant, String(definition.type ?? o.type));
    const { body } = await api.request<FlagView>('POST', `/api/v1/projects/${seg(project)}/flags`, {
      json: { ...definition, key },
    });
    if (o.json === true) return printJson(body);
    printLine(`created ${body.key} (${body.type}) in ${project}; it is off everywhere until you enable it:`);
    printLine(`  vexil flags enable ${body.key} --env <environment>`);
  });
  return cmd;
}

function switchCommand(on: boolean): Command {
  const name = on ? 'enable' : 'disable';
  const cmd = new Command(name)
    .description(
      on ? 'Turn a flag on in an environment' : 'Turn a flag off in an environment (serves its off variant)',
    )
    .argument('<flag>', 'flag key')
    .requiredOption('-e, --env <environment>', 'environment (e.g. production)')
    .addHelpText('after', `\nExample:\n  vexil flags ${name} new-checkout --env production`);
  withConnection(withJson(cmd)).action(async (key: string, o: ConnectionFlags & { env: string }) => {
    const { api, project } = connect(o);
    const { body } = await api.request<FlagView>(
      'POST',
      `/api/v1/projects/${seg(project)}/flags/${seg(key)}/environments/${seg(o.env)}/${name}`,
    );
    if (o.json === true) return printJson(body);
    printLine(`${key} is ${on ? 'on' : 'off'} in ${o.env} (version ${body.version})`);
  });
  return cmd;
}

function archiveCommand(action: 'archive' | 'restore'): Command {
  const cmd = new Command(action)
    .description(
      action === 'archive'
        ? 'Archive a flag: SDKs stop seeing it; its history stays'
        : 'Bring an archived flag back',
    )
    .argument('<flag>', 'flag key')
    .addHelpText('after', `\nExample:\n  vexil flags ${action} old-banner`);
  withConnection(withJson(cmd)).action(async (key: string, o: ConnectionFlags) => {
    const { api, project } = connect(o);
    const { body } = await api.request<FlagView>(
      'POST',
      `/api/v1/projects/${seg(project)}/flags/${seg(key)}/${action}`,
    );
    if (o.json === true) return printJson(body);
    printLine(`${key} ${action === 'archive' ? 'archived' : 'restored'} (version ${body.version})`);
  });
  return cmd;
}

/** `name=value` pairs as variants, each value read as the flag's type asks. */
export function parseVariants(pairs: readonly string[], type: string): Record<string, unknown> {
  const variants: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw usageError(`--variant: expected name=value, got ${JSON.stringify(pair)}`);
    const name = pair.slice(0, at);
    const text = pair.slice(at + 1);
    variants[name] = variantValue(name, text, type);
  }
  return variants;
}

function variantValue(name: string, text: string, type: string): unknown {
  const bad = (expected: string) =>
    usageError(`--variant ${name}: expected ${expected} for a ${type} flag, got ${JSON.stringify(text)}`);
  if (type === 'string') return text;
  if (type === 'boolean') {
    if (text === 'true' || text === 'false') return text === 'true';
    throw bad('true or false');
  }
  if (type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw bad('a number');
    return n;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad('JSON');
  }
}

async function readDefinition(file: string): Promise<Record<string, unknown>> {
  const value = await readStructured(file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`${file}: expected a flag definition (an object)`, { exitCode: EXIT.VALIDATION });
  }
  return value as Record<string, unknown>;
}
