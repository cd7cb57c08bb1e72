import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as node from '../src/index.js';
import {
  type AllFlagsState,
  type ClientEvents,
  createClient,
  type EvaluationDetails,
  type ScopedEvaluator,
  type VexilClient,
  VexilError,
  withFlag,
} from '../src/index.js';
import configs from '../tsup.config.js';

describe('public API types', () => {
  it('types evaluations by their default value', () => {
    const client = createClient({ source: 'offline' });
    expectTypeOf(client.getBoolean('a', false)).toEqualTypeOf<boolean>();
    expectTypeOf(client.getString('a', 'x')).toEqualTypeOf<string>();
    expectTypeOf(client.getNumber('a', 1)).toEqualTypeOf<number>();
    expectTypeOf(client.getJson('a', { size: 1 })).toEqualTypeOf<{ size: number }>();
    expectTypeOf(client.getDetails('a', 'x')).toEqualTypeOf<EvaluationDetails<string>>();
    expectTypeOf(client.allFlags()).toEqualTypeOf<AllFlagsState>();
    expectTypeOf(client.forContext({ targetingKey: 'u' })).toEqualTypeOf<ScopedEvaluator>();
    // @ts-expect-error the default decides the type: a string default is not a boolean getter's
    client.getBoolean('a', 'no');
    // @ts-expect-error track takes a numeric value
    client.track('purchase', {}, '10');
  });

  it('types event payloads', () => {
    const client = createClient({ source: 'offline' });
    client.on('update', (payload) => expectTypeOf(payload).toEqualTypeOf<ClientEvents['update']>());
    client.on('error', (error) => expectTypeOf(error).toEqualTypeOf<VexilError>());
    // @ts-expect-error no such event
    client.on('changed', () => {});
  });

  it('keeps withFlag typed like the function it wraps', () => {
    const client = createClient({ source: 'offline' });
    const wrapped = withFlag(
      client,
      'f',
      (n: number) => n * 2,
      (n: number) => String(n),
    );
    expectTypeOf(wrapped).toEqualTypeOf<(n: number) => number | string>();
  });

  it('gives the browser entry point the same client', () => {
    expectTypeOf(browser.createClient).returns.toEqualTypeOf<VexilClient>();
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
  });

  it('refuses invalid options with a VexilError naming the option', () => {
    expect(() => createClient({ source: 'stream' })).toThrow(VexilError);
    expect(() => createClient({ url: 'http://x', source: 'stream' })).toThrow(/sdkKey is required/);
    expect(() => createClient({ source: 'nope' as never })).toThrow(/source must be one of/);
    expect(() => createClient({ source: 'bucket' })).toThrow(/bucket.url is required/);
    expect(() => createClient({ source: 'file' })).toThrow(/file is required/);
    expect(() => createClient({ source: 'offline', pollInterval: -1 })).toThrow(/pollInterval/);
    expect(() => browser.createClient({ source: 'file', file: 'x.json' })).toThrow(/Node/);
  });
});

describe('package exports', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

  /** Every file path an `exports` entry points to. */
  function targets(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (typeof value !== 'object' || value === null) return [];
    return Object.values(value).flatMap(targets);
  }

  it('points every export at a file the build produces (or at the source, for the workspace)', () => {
    const produced = new Set<string>();
    for (const config of configs as Array<{
      entry: Record<string, string>;
      outDir: string;
      format: string[];
    }>) {
      for (const name of Object.keys(config.entry)) {
        for (const format of config.format) {
          const dir = `./${config.outDir}/${name}`;
          if (format === 'esm') produced.add(`${dir}.js`).add(`${dir}.d.ts`);
          if (format === 'cjs') produced.add(`${dir}.cjs`).add(`${dir}.d.cts`);
          if (format === 'iife') produced.add(`${dir}.js`);
        }
      }
    }
    const all = Object.entries(pkg.exports as Record<string, unknown>).filter(
      ([k]) => k !== './package.json',
    );
    for (const [subpath, value] of all) {
      for (const target of targets(value)) {
        if (target.startsWith('./src/')) continue;
        expect(produced, `${subpath} → ${target}`).toContain(target);
      }
    }
  });

  it('does not make applications install a web framework, a database driver or a cloud SDK', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@vexil/core', 'eventsource']);
    expect(
      Object.keys(pkg.peerDependencies ?? {}).every((name) => pkg.peerDependenciesMeta[name].optional),
    ).toBe(true);
  });
});
