import { Command, Option } from 'commander';
import { usageError } from '../cli-error.js';
import { type ConnectionFlags, connect, listAll, seg, withConnection, withJson } from '../command-kit.js';
import { printJson, printLine, printTable } from '../output.js';
import { durationMs, instant } from '../rollout-plan.js';

/** An API key as the admin API shows it. */
interface ApiKey {
  id: string;
  kind: string;
  project: string | null;
  environment: string | null;
  name: string;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  status: string;
}

/** `vexil keys …`: create, list, revoke, rotate API keys. */
export function keysCommand(): Command {
  const keys = new Command('keys').description('Create, list, revoke and rotate API keys');
  keys.addCommand(createCommand());
  keys.addCommand(listCommand());
  keys.addCommand(revokeCommand());
  keys.addCommand(rotateCommand());
  return keys;
}

interface CreateFlags extends ConnectionFlags {
  kind: 'admin' | 'server' | 'client';
  env?: string;
  name?: string;
  expires?: string;
}

function createCommand(): Command {
  const cmd = new Command('create')
    .description('Create a key; its secret is printed once')
    .addOption(
      new Option('-k, --kind <kind>', 'admin (everything), server (one environment) or client (browser-safe)')
        .choices(['admin', 'server', 'client'])
        .makeOptionMandatory(),
    )
    .option('-e, --env <environment>', 'the environment of a server or client key')
    .option('--name <name>', 'what the key is for')
    .option('--expires <when>', 'when it stops working: a date-time or +DURATION (e.g. +90d)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  vexil keys create --kind server --env production --name checkout-service',
        '  vexil keys create --kind client --env production --json',
        '  vexil keys create --kind admin --name ci --expires +90d',
      ].join('\n'),
    );
  withConnection(withJson(cmd)).action(async (o: CreateFlags) => {
    const { api, project } = connect(o);
    if (o.kind === 'admin' && o.env !== undefined)
      throw usageError('an admin key has no environment: drop --env');
    if (o.kind !== 'admin' && o.env === undefined)
      throw usageError(`a ${o.kind} key belongs to one environment: give --env`);
    const body: Record<string, unknown> = { kind: o.kind };
    if (o.kind !== 'admin') Object.assign(body, { project, environment: o.env });
    if (o.name !== undefined) body.name = o.name;
    if (o.expires !== undefined) body.expiresAt = instant('--expires', o.expires, new Date()).toISOString();
    const { body: created } = await api.request<{ key: ApiKey; secret: string }>('POST', '/api/v1/keys', {
      json: body,
    });
    if (o.json === true) return printJson(created);
    printLine(`created ${describe(created.key)}`);
    printLine('the secret (shown only this once; store it now):');
    printLine(`  ${created.secret}`);
  });
  return cmd;
}

interface ListFlags extends ConnectionFlags {
  kind?: string;
  env?: string;
  all?: boolean;
}

function listCommand(): Command {
  const cmd = new Command('list')
    .description('List keys (active ones; --all adds revoked and expired)')
    .addOption(new Option('-k, --kind <kind>', 'only this kind').choices(['admin', 'server', 'client']))
    .option('-e, --env <environment>', 'only keys of this environment')
    .option('--all', 'include revoked and expired keys')
    .addHelpText(
      'after',
      '\nExamples:\n  vexil keys list\n  vexil keys list --kind server --env production --json',
    );
  withConnection(withJson(cmd), { project: false }).action(async (o: ListFlags) => {
    const { api } = connect(o);
    const items = await listAll<ApiKey>(api, '/api/v1/keys', {
      kind: o.kind,
      environment: o.env,
      includeInactive: o.all === true ? true : undefined,
    });
    if (o.json === true) return printJson(items);
    printTable(
      ['ID', 'KIND', 'SCOPE', 'NAME', 'STATUS', 'HINT', 'LAST USED', 'EXPIRES'],
      items.map((k) => [
        k.id,
        k.kind,
        k.project === null ? '*' : `${k.project}/${k.environment}`,
        k.name,
        k.status,
        k.hint,
        k.lastUsedAt ?? '-',
        k.expiresAt ?? '-',
      ]),
    );
  });
  return cmd;
}

function revokeCommand(): Command {
  const cmd = new Command('revoke')
    .description('Revoke a key at once: it stops working now')
    .argument('<id>', 'key id (from vexil keys list)')
    .addHelpText('after', '\nExample:\n  vexil keys revoke key_0123abcd');
  withConnection(withJson(cmd), { project: false }).action(async (id: string, o: ConnectionFlags) => {
    const { api } = connect(o);
    const { body } = await api.request<ApiKey>('DELETE', `/api/v1/keys/${seg(id)}`);
    if (o.json === true) return printJson(body);
    printLine(`revoked ${describe(body)}`);
  });
  return cmd;
}

function rotateCommand(): Command {
  const cmd = new Command('rotate')
    .description('Replace a key with a new one; the old one keeps working for a grace period')
    .argument('<id>', 'key id (from vexil keys list)')
    .option('--grace <duration>', 'how long the old key keeps working: 0, 30m, 1h, 7d … (default: 1h)')
    .addHelpText(
      'after',
      '\nExamples:\n  vexil keys rotate key_0123abcd\n  vexil keys rotate key_0123abcd --grace 0',
    );
  withConnection(withJson(cmd), { project: false }).action(
    async (id: string, o: ConnectionFlags & { grace?: string }) => {
      const { api } = connect(o);
      const grace =
        o.grace === undefined
          ? undefined
          : o.grace.trim() === '0'
            ? 0
            : Math.round(durationMs('--grace', o.grace) / 1000);
      const { body } = await api.request<{ key: ApiKey; secret: string; previous: ApiKey }>(
        'POST',
        `/api/v1/keys/${seg(id)}/rotate`,
        { json: grace === undefined ? {} : { gracePeriodSeconds: grace } },
      );
      if (o.json === true) return printJson(body);
      printLine(`rotated ${body.previous.id} → ${describe(body.key)}`);
      printLine(
        body.previous.expiresAt === null
          ? `the old key keeps working`
          : `the old key works until ${body.previous.expiresAt}`,
      );
      printLine('the new secret (shown only this once; store it now):');
      printLine(`  ${body.secret}`);
    },
  );
  return cmd;
}

function describe(k: ApiKey): string {
  const scope = k.project === null ? 'all projects' : `${k.project}/${k.environment}`;
  return `${k.kind} key ${k.id} "${k.name}" (${scope})`;
}
