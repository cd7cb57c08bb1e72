import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, vexil } from './run-vexil.js';

// Every test spawns vexil several times: slow on a loaded machine, hence the long timeout.
describe('vexil flags and rollout against a real server', { timeout: 180_000 }, () => {
  let t: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });
  const run = (...args: string[]) => vexil(args, { env: t.env });

  it('creates a flag, enables it in one environment, and lists and gets it as a table and as JSON', async () => {
    const created = await run(
      'flags',
      'create',
      'new-checkout',
      '-d',
      'One-page checkout',
      '--tag',
      'checkout',
      '--temporary',
    );
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toContain('created new-checkout (boolean) in default');
    const enabled = await run('flags', 'enable', 'new-checkout', '--env', 'production');
    expect(enabled).toMatchObject({ code: 0, stdout: 'new-checkout is on in production (version 2)\n' });

    const [table, json, get, getJson] = await Promise.all([
      run('flags', 'list'),
      run('flags', 'list', '--json'),
      run('flags', 'get', 'new-checkout'),
      run('flags', 'get', 'new-checkout', '--json'),
    ]);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^KEY\s+TYPE\s+DEVELOPMENT\s+PRODUCTION\s+TAGS\s+DESCRIPTION$/,
    );
    expect(table.stdout).toMatch(/new-checkout\s+boolean\s+off\s+on\s+checkout\s+One-page checkout/);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        key: 'new-checkout',
        lifecycle: 'temporary',
        environments: { production: { enabled: true } },
      }),
    ]);
    expect(get.stdout).toMatch(/production\s+on\s+-/);
    expect(JSON.parse(getJson.stdout)).toMatchObject({ key: 'new-checkout', version: 2, tags: ['checkout'] });

    const off = await run('flags', 'disable', 'new-checkout', '--env', 'production', '--json');
    expect(JSON.parse(off.stdout)).toMatchObject({ environments: { production: { enabled: false } } });
  });

  it('creates typed flags with variants, archives and restores them, and filters the list', async () => {
    const color = await run(
      'flags',
      'create',
      'banner-color',
      '--type',
      'string',
      '--variant',
      'red=red',
      '--variant',
      'blue=blue',
      '--json',
    );
    expect(JSON.parse(color.stdout)).toMatchObject({
      type: 'string',
      variants: { red: 'red', blue: 'blue' },
    });
    const limits = await run(
      'flags',
      'create',
      'limits',
      '--type',
      'json',
      '--variant',
      'small={"max":5}',
      '--variant',
      'big={"max":50}',
    );
    expect(limits.code).toBe(0);
    expect((await run('flags', 'archive', 'limits')).stdout).toMatch(/^limits archived \(version 2\)/);
    const [live, archived] = await Promise.all([
      run('flags', 'list', '--json'),
      run('flags', 'list', '--archived', '--json'),
    ]);
    expect((JSON.parse(live.stdout) as { key: string }[]).map((f) => f.key)).not.toContain('limits');
    expect((JSON.parse(archived.stdout) as { key: string }[]).map((f) => f.key)).toEqual(['limits']);
    expect((await run('flags', 'restore', 'limits')).code).toBe(0);
    const file = join(t.dir, 'pricing.yaml');
    writeFileSync(file, 'type: string\nvariants: { low: "9", high: "19" }\ndescription: from a file\n');
    const fromFile = await run('flags', 'create', 'pricing', '--from', file, '--tag', 'money', '--json');
    expect(JSON.parse(fromFile.stdout)).toMatchObject({
      type: 'string',
      description: 'from a file',
      tags: ['money'],
    });
    const byText = await run('flags', 'list', '--text', 'banner', '--json');
    expect((JSON.parse(byText.stdout) as { key: string }[]).map((f) => f.key)).toEqual(['banner-color']);
  });

  it('sets a percentage rollout, a ramp, a schedule, a split and a single variant, as the server then reports', async () => {
    await run('flags', 'create', 'ramped');
    const on = await run('rollout', 'ramped', '--env', 'production', '--on', '25%');
    expect(on).toMatchObject({
      code: 0,
      stdout: 'ramped in production: rollout on 25%, off 75% (version 2)\n',
    });
    const serve = async () =>
      (await t.server.vexil.rollouts.get({ project: 'default', environment: 'production', flag: 'ramped' }))!;
    expect(await serve()).toEqual({ rollout: { variants: { on: 25_000, off: 75_000 } } });

    expect(
      (await run('rollout', 'ramped', '--env', 'production', '--ramp', '0%..100%', '--over', '7d')).code,
    ).toBe(0);
    const ramp = (await serve()).rollout!;
    expect(ramp.variants).toEqual({ on: 0, off: 100_000 });
    expect(Date.parse(ramp.ramp!.end) - Date.parse(ramp.ramp!.start)).toBe(7 * 86_400_000);

    expect(
      (
        await run(
          'rollout',
          'ramped',
          '--env',
          'production',
          '--step',
          '10%@now',
          '--step',
          '100%@+7d',
          '--bucket-by',
          'accountId',
        )
      ).code,
    ).toBe(0);
    expect((await serve()).rollout).toMatchObject({
      bucketBy: 'accountId',
      schedule: [{ variants: { on: 10_000 } }, { variants: { on: 100_000 } }],
    });
    expect((await serve()).rollout!.ramp).toBeUndefined();

    const shown = await run('rollout', 'ramped', '--env', 'production', '--json');
    expect(JSON.parse(shown.stdout)).toEqual({ serve: await serve() });

    await run(
      'flags',
      'create',
      'theme',
      '--type',
      'string',
      '--variant',
      'light=light',
      '--variant',
      'dark=dark',
    );
    expect(
      (await run('rollout', 'theme', '--env', 'development', '--split', 'light=33.333%,dark=66.667%')).code,
    ).toBe(0);
    expect(
      await t.server.vexil.rollouts.get({ project: 'default', environment: 'development', flag: 'theme' }),
    ).toEqual({
      rollout: { variants: { light: 33_333, dark: 66_667 } },
    });
    expect((await run('rollout', 'ramped', '--env', 'production', '--variant', 'off')).stdout).toMatch(
      /variant off/,
    );
    expect(await serve()).toEqual({ variant: 'off' });
  });

  it("sets a rule's serve with --rule", async () => {
    await t.server.vexil.flags.create('default', 'beta-only', { type: 'boolean' });
    await t.server.vexil.rules.add(
      { project: 'default', environment: 'production', flag: 'beta-only' },
      {
        id: 'beta',
        conditions: [{ attribute: 'plan', op: 'eq', values: ['beta'] }],
        serve: { variant: 'on' },
      },
    );
    const result = await run('rollout', 'beta-only', '--env', 'production', '--rule', 'beta', '--on', '50%');
    expect(result.stdout).toBe('beta-only in production (rule beta): rollout on 50%, off 50% (version 3)\n');
    const rules = await t.server.vexil.rules.list({
      project: 'default',
      environment: 'production',
      flag: 'beta-only',
    });
    expect(rules[0]!.serve).toEqual({ rollout: { variants: { on: 50_000, off: 50_000 } } });
  });
});
