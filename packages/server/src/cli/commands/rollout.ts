import type { Serve } from '@vexil/core';
import { Command, Option } from 'commander';
import { type ConnectionFlags, collect, connect, seg, withConnection, withJson } from '../command-kit.js';
import { describeServe, type FlagView, isOn } from '../describe-flag.js';
import { printJson, printLine } from '../output.js';
import { changesServe, planServe, type RolloutRequest } from '../rollout-plan.js';

interface RolloutFlags extends ConnectionFlags, RolloutRequest {
  readonly env: string;
  readonly rule?: string;
}

/** `vexil rollout <flag> --env <env> …`: what a flag serves by default (or a rule serves). */
export function rolloutCommand(): Command {
  const cmd = new Command('rollout')
    .description(
      'Show or set what a flag serves in an environment: a variant, a percentage, a ramp or a schedule',
    )
    .argument('<flag>', 'flag key')
    .requiredOption('-e, --env <environment>', 'environment (e.g. production)')
    .option('--rule <id>', "change this rule's serve instead of the default serve")
    .option('--on <percent>', 'boolean flags: serve the on variant to this share (e.g. 25%), off to the rest')
    .option('--split <shares>', 'every variant\'s share, adding up to 100% (e.g. "a=50%,b=30%,c=20%")')
    .option('--variant <name>', 'serve this one variant to everyone (ends any rollout)')
    .option(
      '--ramp <from..to>',
      "move linearly from one share to another (e.g. 0%..100%, or ..100% from now's)",
    )
    .option('--over <duration>', 'how long the ramp takes: 30m, 12h, 7d, 2w …')
    .option('--until <when>', 'when the ramp ends (instead of --over)')
    .option('--start <when>', 'when the ramp starts (default: now)')
    .option(
      '--step <shares@when>',
      'a scheduled step, repeat for more (e.g. 25%@+1d --step 100%@+7d)',
      collect,
    )
    .option('--bucket-by <attribute>', 'context attribute to bucket by (default: targetingKey)')
    .option('--seed <seed>', 'hash seed (default: the flag key)')
    .addOption(new Option('--random', 'pick at random on every evaluation (not sticky)'))
    .addOption(new Option('--no-random', 'sticky bucketing again'))
    .option(
      '--weighted-by <table>',
      "balance by a weight table's subject weights (seats, …) instead of head count",
    )
    .addOption(new Option('--no-weighted-by', 'balance by head count again'))
    .addHelpText(
      'after',
      [
        '',
        'Shares are percentages with up to 3 decimals. WHEN is now, +DURATION (+2h, +7d) or a',
        'date-time (2026-12-01T09:00:00Z). Each call sets the whole serve: a new --on drops a',
        'ramp or schedule. Without a change option it shows the current serve.',
        '',
        'Examples:',
        '  vexil rollout new-checkout --env production',
        '  vexil rollout new-checkout --env production --on 25%',
        '  vexil rollout new-checkout --env production --ramp 0%..100% --over 7d',
        '  vexil rollout new-checkout --env production --step 10%@now --step 50%@+2d --step 100%@+7d',
        '  vexil rollout banner-color --env production --split red=50%,blue=50% --bucket-by accountId',
        '  vexil rollout new-billing --env production --on 30% --bucket-by accountId --weighted-by accounts',
        '  vexil rollout new-checkout --env production --rule beta-users --on 100%',
        '  vexil rollout new-checkout --env production --variant off',
      ].join('\n'),
    );
  withConnection(withJson(cmd)).action(async (key: string, o: RolloutFlags) => {
    const { api, project } = connect(o);
    const flagPath = `/api/v1/projects/${seg(project)}/flags/${seg(key)}`;
    const servePath = `${flagPath}/environments/${seg(o.env)}/serve`;
    const query = { rule: o.rule };
    const where = `${key} in ${o.env}${o.rule === undefined ? '' : ` (rule ${o.rule})`}`;
    if (!changesServe(o)) {
      const { body } = await api.request<{ serve: Serve | null }>('GET', servePath, { query });
      if (o.json === true) return printJson(body);
      return printLine(`${where}: ${describeServe(body.serve ?? undefined)}`);
    }
    const flag = await api.request<FlagView>('GET', flagPath);
    const current = await api.request<{ serve: Serve | null }>('GET', servePath, { query });
    const serve = planServe(o, flag.body, current.body.serve ?? undefined, new Date());
    // If-Match: a change made between the read and this write is not overwritten (exit 6).
    const { body } = await api.request<FlagView>('PUT', servePath, {
      query,
      json: serve,
      headers: { 'if-match': `"${flag.body.version}"` },
    });
    if (o.json === true) return printJson({ serve, version: body.version });
    printLine(`${where}: ${describeServe(serve)} (version ${body.version})`);
    if (!isOn(body, o.env)) {
      process.stderr.write(
        `note: ${key} is off in ${o.env}, so it serves its off variant: vexil flags enable ${key} --env ${o.env}\n`,
      );
    }
  });
  return cmd;
}
