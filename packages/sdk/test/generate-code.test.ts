import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleFlags } from './support/flags.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

/** Evaluates the sample flags' rules offline and counts the `new Function` calls it made. */
async function functionsMadeBy(generateCode: boolean | undefined): Promise<number> {
  const { createClient, silentLogger } = await import('../src/index.js');
  // zod asks once whether it may generate code: let it ask before counting.
  createClient({ source: 'offline', bootstrap: sampleFlags() as never, logger: silentLogger });
  const RealFunction = globalThis.Function;
  let made = 0;
  vi.stubGlobal(
    'Function',
    new Proxy(RealFunction, {
      construct(target, args) {
        made++;
        return Reflect.construct(target, args);
      },
      apply(target, self, args) {
        made++;
        return Reflect.apply(target, self, args);
      },
    }),
  );
  const client = createClient({
    source: 'offline',
    bootstrap: sampleFlags() as never,
    logger: silentLogger,
    ...(generateCode === undefined ? {} : { generateCode }),
  });
  expect(client.getString('button-color', 'red', { country: 'NL' })).toBe('blue');
  expect(client.getBoolean('new-checkout', false, { targetingKey: 'user-beta' })).toBe(true);
  return made;
}

describe('the generateCode option', () => {
  it('compiles flag rules to functions by default', async () => {
    expect(await functionsMadeBy(undefined)).toBeGreaterThan(0);
  });

  it('keeps to the interpreter when false (pages whose Content-Security-Policy forbids eval), with the same results', async () => {
    expect(await functionsMadeBy(false)).toBe(0);
  });
});
