import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-error.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { durationMs, instant, percentToWeight, planServe, weightsOf } from '../../src/cli/rollout-plan.js';

const now = new Date('2026-11-25T10:00:00.000Z');
const bool = { type: 'boolean' };
const colors = { type: 'string', variants: { red: 'red', blue: 'blue' } };

function usage(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.USAGE);
    return error as CliError;
  }
  throw new Error('expected a usage error');
}

describe('rollout planning', () => {
  it('reads percentages with up to three decimals as thousandths of a percent', () => {
    expect(percentToWeight('--on', '25%')).toBe(25_000);
    expect(percentToWeight('--on', '25')).toBe(25_000);
    expect(percentToWeight('--on', '0.125%')).toBe(125);
    expect(percentToWeight('--on', '100%')).toBe(100_000);
    for (const bad of ['120%', '-1%', 'abc', '1.2345%', '']) {
      expect(usage(() => percentToWeight('--on', bad)).message).toMatch(/--on: expected a percentage/);
    }
  });

  it('turns --on into the on and off variants of a boolean flag, and refuses it for other types', () => {
    expect(weightsOf('25%', bool, '--on')).toEqual({ on: 25_000, off: 75_000 });
    expect(weightsOf('10%', { type: 'boolean', variants: { yes: true, no: false } }, '--on')).toEqual({
      yes: 10_000,
      no: 90_000,
    });
    expect(usage(() => weightsOf('25%', colors, '--on')).message).toMatch(
      /for a string flag give every share/,
    );
  });

  it('requires a split to add up to 100 %', () => {
    expect(weightsOf('red=33.333%,blue=66.667%', colors, '--split')).toEqual({ red: 33_333, blue: 66_667 });
    expect(usage(() => weightsOf('red=30%,blue=30%', colors, '--split')).message).toMatch(/add up to 60%/);
    expect(usage(() => weightsOf('red=50%,red=50%', colors, '--split')).message).toMatch(/given twice/);
  });

  it('reads durations and instants, absolute and relative to now', () => {
    expect(durationMs('--over', '7d')).toBe(7 * 86_400_000);
    expect(durationMs('--over', '1d12h')).toBe(36 * 3_600_000);
    expect(instant('--start', 'now', now)).toEqual(now);
    expect(instant('--start', '+2h', now).toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(instant('--start', '2026-12-01', now).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    usage(() => durationMs('--over', '7 days'));
    usage(() => instant('--until', 'tomorrow', now));
  });

  it('plans a ramp from 0 % to 100 % over seven days starting now', () => {
    expect(planServe({ ramp: '0%..100%', over: '7d' }, bool, undefined, now)).toEqual({
      rollout: {
        variants: { on: 0, off: 100_000 },
        ramp: { start: now.toISOString(), end: '2026-12-02T10:00:00.000Z', to: { on: 100_000, off: 0 } },
      },
    });
  });

  it('ramps from the current rollout when the ramp names only where it ends, keeping bucketing settings', () => {
    const current = { rollout: { variants: { on: 25_000, off: 75_000 }, bucketBy: 'accountId', seed: 's' } };
    expect(planServe({ ramp: '..100%', until: '2026-12-01T00:00:00Z' }, bool, current, now)).toEqual({
      rollout: {
        variants: { on: 25_000, off: 75_000 },
        bucketBy: 'accountId',
        seed: 's',
        ramp: { start: now.toISOString(), end: '2026-12-01T00:00:00.000Z', to: { on: 100_000, off: 0 } },
      },
    });
  });

  it('weights a rollout by a table, keeps the table when the share changes, and drops it on request', () => {
    const weighted = planServe(
      { on: '30%', bucketBy: 'accountId', weightedBy: 'accounts' },
      bool,
      undefined,
      now,
    );
    expect(weighted).toEqual({
      rollout: { variants: { on: 30_000, off: 70_000 }, bucketBy: 'accountId', weightedBy: 'accounts' },
    });
    expect(planServe({ on: '50%' }, bool, weighted, now).rollout?.weightedBy).toBe('accounts');
    expect(planServe({ weightedBy: false }, bool, weighted, now)).toEqual({
      rollout: { variants: { on: 30_000, off: 70_000 }, bucketBy: 'accountId' },
    });
    expect(
      usage(() => planServe({ variant: 'on', weightedBy: 'accounts' }, bool, weighted, now)).message,
    ).toMatch(/--weighted-by/);
  });

  it('plans a schedule of steps in time order, starting from 0 % for a boolean flag', () => {
    const serve = planServe({ step: ['100%@+7d', '10%@now', '50%@+2d'] }, bool, { variant: 'off' }, now);
    expect(serve.rollout?.variants).toEqual({ on: 0, off: 100_000 });
    expect(serve.rollout?.schedule?.map((s) => [s.at, s.variants.on])).toEqual([
      ['2026-11-25T10:00:00.000Z', 10_000],
      ['2026-11-27T10:00:00.000Z', 50_000],
      ['2026-12-02T10:00:00.000Z', 100_000],
    ]);
  });

  it('drops a ramp when a new share is set, and keeps it when only the bucketing changes', () => {
    const ramped = planServe({ ramp: '0%..100%', over: '7d' }, bool, undefined, now);
    expect(planServe({ on: '30%' }, bool, ramped, now)).toEqual({
      rollout: { variants: { on: 30_000, off: 70_000 } },
    });
    expect(planServe({ bucketBy: 'accountId' }, bool, ramped, now)).toEqual({
      rollout: { ...ramped.rollout, bucketBy: 'accountId' },
    });
    expect(
      planServe({ random: false }, bool, { rollout: { ...ramped.rollout!, random: true } }, now),
    ).toEqual(ramped);
  });

  it('refuses contradictory or incomplete requests with a usage error that says why', () => {
    expect(usage(() => planServe({ variant: 'on', on: '5%' }, bool, undefined, now)).message).toMatch(
      /drop --on/,
    );
    expect(
      usage(() => planServe({ on: '5%', split: 'on=5%,off=95%' }, bool, undefined, now)).message,
    ).toMatch(/not both/);
    expect(usage(() => planServe({ ramp: '0%..100%' }, bool, undefined, now)).message).toMatch(
      /needs --over/,
    );
    expect(usage(() => planServe({ over: '7d', on: '5%' }, bool, undefined, now)).message).toMatch(
      /go with --ramp/,
    );
    expect(usage(() => planServe({ ramp: '..100%', over: '1d' }, colors, undefined, now)).message).toMatch(
      /for a string flag/,
    );
    expect(usage(() => planServe({ seed: 'x' }, bool, { variant: 'on' }, now)).message).toMatch(
      /serves the variant on/,
    );
    expect(
      usage(() =>
        planServe({ ramp: '0%..100%', over: '1d', start: '+2d', until: '+1d' }, bool, undefined, now),
      ).message,
    ).toMatch(/not both/);
  });
});
