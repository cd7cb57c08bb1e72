import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startTestServer, vexil } from './run-vexil.js';

// Every test spawns vexil several times: slow on a loaded machine, hence the long timeout.
describe('vexil export and import against a real server', { timeout: 180_000 }, () => {
  let t: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    t = await startTestServer();
    const { vexil: v } = t.server;
    await v.projects.create('copy', { environments: ['development', 'production'] });
    await v.segments.create('default', 'beta', {
      conditions: [{ attribute: 'plan', op: 'eq', values: ['beta'] }],
    });
    await v.flags.create('default', 'new-checkout', {
      type: 'boolean',
      environments: {
        production: { enabled: true, defaultServe: { rollout: { variants: { on: 25_000, off: 75_000 } } } },
      },
    });
    await v.flags.create('default', 'banner', {
      type: 'string',
      variants: { a: 'a', b: 'b' },
      overrides: [{ segment: 'beta', variant: 'b' }],
    });
  });
  afterAll(async () => {
    await t?.stop();
  });
  const run = (args: string[], stdin?: string) =>
    vexil(args, { env: t.env, ...(stdin === undefined ? {} : { stdin }) });

  it('exports a project as JSON to stdout and as YAML to a file, and one environment', async () => {
    const file = join(t.dir, 'flags.yaml');
    const [json, toFile, env] = await Promise.all([
      run(['export']),
      run(['export', '-o', file]),
      run(['export', '--env', 'production', '--yaml']),
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      project: 'default',
      flags: { 'new-checkout': { type: 'boolean' }, banner: {} },
      segments: { beta: {} },
    });
    expect(toFile.stderr).toBe(`exported 2 flags of default to ${file}\n`);
    expect(YAML.parse(readFileSync(file, 'utf8'))).toMatchObject({
      flags: { 'new-checkout': { environments: { production: { enabled: true } } } },
    });
    expect(YAML.parse(env.stdout)).toMatchObject({
      environment: 'production',
      flags: { 'new-checkout': { enabled: true } },
    });
  });

  it('shows what an import would change with --dry-run, changes nothing, then applies it', async () => {
    const file = join(t.dir, 'to-copy.yaml');
    expect((await run(['export', '-o', file])).code).toBe(0);
    const dry = await run(['import', file, '--project', 'copy', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: ');
    expect(dry.stdout).toContain('flags:    2 created, 0 updated, 0 unchanged, 0 deleted');
    expect(dry.stdout).toContain('+ flag new-checkout');
    expect(dry.stdout).toContain('+ segment beta');
    expect((await t.server.vexil.flags.list('copy')).total).toBe(0);

    const applied = await run(['import', file, '--project', 'copy', '--json']);
    expect(JSON.parse(applied.stdout)).toMatchObject({
      dryRun: false,
      flags: { created: ['banner', 'new-checkout'] },
      segments: { created: ['beta'] },
    });
    expect(await t.server.vexil.flags.getEnvironment('copy', 'production', 'new-checkout')).toMatchObject({
      enabled: true,
    });
    const again = await run(['import', file, '--project', 'copy']);
    expect(again.stdout).toContain('flags:    0 created, 0 updated, 2 unchanged, 0 deleted');
  });

  it("imports one environment's export into that environment of another project", async () => {
    const file = join(t.dir, 'production.json');
    expect((await run(['export', '--env', 'production', '-o', file])).code).toBe(0);
    const result = await run(['import', file, '--project', 'copy', '--env', 'production', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({
      environment: 'production',
      mode: 'merge',
      dryRun: false,
    });
    expect(await t.server.vexil.flags.getEnvironment('copy', 'production', 'new-checkout')).toMatchObject({
      enabled: true,
      defaultServe: { rollout: { variants: { on: 25_000, off: 75_000 } } },
    });
  });

  it('imports from stdin, and with --mode replace deletes what the file lacks', async () => {
    await t.server.vexil.flags.create('copy', 'leftover', { type: 'boolean' });
    const exported = await run(['export']);
    const parsed = JSON.parse(exported.stdout) as { flags: Record<string, unknown> };
    delete parsed.flags.banner;
    const replaced = await run(
      ['import', '-', '--project', 'copy', '--mode', 'replace'],
      JSON.stringify(parsed),
    );
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('- flag banner');
    expect(replaced.stdout).toContain('- flag leftover');
    expect((await t.server.vexil.flags.list('copy')).items.map((f) => f.key)).toEqual(['new-checkout']);
  });

  it('imports a large file in several commits with a progress line, prerequisites before the flags that need them', async () => {
    const flags: Record<string, unknown> = {};
    for (let i = 0; i < 1200; i++) {
      // each flag needs the next one: every piece depends on the pieces after it in file order
      flags[`bulk-${String(i).padStart(4, '0')}`] = {
        type: 'boolean',
        description: `bulk flag ${i} ${'x'.repeat(200)}`,
        ...(i < 1199
          ? { prerequisites: [{ flag: `bulk-${String(i + 1).padStart(4, '0')}`, variants: ['on'] }] }
          : {}),
      };
    }
    const file = join(t.dir, 'bulk.json');
    writeFileSync(file, JSON.stringify({ formatVersion: 1, flags }));
    const result = await run(['import', file, '--chunk-size', '500']);
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toContain('importing flags 1–500 of 1200 (commit 1/3)…');
    expect(lines).toContain('imported 500/1200 flags (41%)');
    expect(lines).toContain('imported 1000/1200 flags (83%)');
    expect(lines).toContain('imported 1200/1200 flags (100%)');
    expect(result.stdout).toContain('flags:    1200 created, 0 updated, 0 unchanged, 0 deleted');
    expect(result.stdout).toContain('… and 1150 more (--json lists them all)');
    expect((await t.server.vexil.flags.list('default', { text: 'bulk', limit: 1 })).total).toBe(1200);
    const versions = await t.server.vexil.audit.list({
      project: 'default',
      action: 'flag.create',
      limit: 1000,
    });
    expect(versions.total).toBeGreaterThanOrEqual(1200);
  });

  it('shows upload progress for a large single-commit import', async () => {
    const flags: Record<string, unknown> = {};
    for (let i = 0; i < 300; i++)
      flags[`big-${i}`] = { type: 'string', variants: { a: 'y'.repeat(2000), b: 'b' } };
    const file = join(t.dir, 'big.json');
    writeFileSync(file, JSON.stringify({ flags }));
    const result = await run(['import', file, '--project', 'copy', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/checking 300 flags…\n/);
    expect(result.stderr).toMatch(/checking 300 flags: sent \d+\.\d KB, the server is applying it…/);
    expect(result.stdout).toContain('300 created');
  });

  it('refuses an invalid file before sending it, naming every bad field, with exit code 5', async () => {
    const file = join(t.dir, 'bad.yaml');
    writeFileSync(file, 'flags:\n  ok: { type: boolean }\n  broken: { type: colour, enabled: maybe }\n');
    const result = await run(['import', file]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`vexil: ${file} is not a valid flag set`);
    expect(result.stderr).toContain('flags.broken.type: unknown flag type "colour"');
    expect(result.stderr).toMatch(/flags\.broken\.enabled: /);
    const server = await run(
      ['import', '-'],
      JSON.stringify({ flags: { x: { type: 'boolean', offVariant: 'nope' } } }),
    );
    expect(server.code).toBe(5);
    expect(server.stderr).toMatch(/VALIDATION_FAILED, HTTP 400\)\n {2}flags\.x\.offVariant: /);
    const yaml = await run(['import', '-'], 'flags: [unclosed');
    expect(yaml.code).toBe(5);
    expect(yaml.stderr).toMatch(/is not valid YAML\n {2}line 1, column/);
  });
});
