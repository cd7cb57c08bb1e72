import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  adaptYoungGeneration,
  userSetSemiSpace,
  YoungGenerationPolicy,
} from '../../src/cli/young-generation.js';
import { ROOT } from './spawn.js';

describe('the young generation policy', () => {
  it('lets it grow once a second is busy, and shrinks it after quiet seconds in a row', () => {
    const policy = new YoungGenerationPolicy({
      busyRequestsPerSecond: 100,
      quietRequestsPerSecond: 10,
      quietSeconds: 3,
    });
    expect([5, 99, 0].map((n) => policy.tick(n))).toEqual([undefined, undefined, undefined]);
    expect(policy.tick(100)).toBe('grow');
    // Moderate traffic keeps it grown; quiet seconds must follow each other.
    expect([50, 9, 9, 10, 9, 9].map((n) => policy.tick(n))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(policy.tick(0)).toBe('shrink');
    expect(policy.tick(0)).toBeUndefined();
    expect(policy.tick(500)).toBe('grow');
  });

  it('is left to the user when a Node flag sets the semi-space size', () => {
    expect(userSetSemiSpace([], '')).toBe(false);
    expect(userSetSemiSpace(['--max-semi-space-size=64'], '')).toBe(true);
    expect(userSetSemiSpace([], '--max-old-space-size=512 --max_semi_space_size=8')).toBe(true);
    expect(userSetSemiSpace(['--max-old-space-size=512'], '--enable-source-maps')).toBe(false);
  });
});

describe('adapting the young generation to a server', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts the server’s requests each second and sets V8 accordingly', () => {
    vi.useFakeTimers();
    const server = new EventEmitter();
    const calls: string[] = [];
    const controls = { setFlags: (f: string) => calls.push(f), scavenge: () => calls.push('scavenge') };
    const adapted = adaptYoungGeneration(server, {
      busyRequestsPerSecond: 3,
      quietRequestsPerSecond: 1,
      quietSeconds: 2,
      controls,
    });
    const second = (requests: number) => {
      for (let i = 0; i < requests; i++) server.emit('request');
      vi.advanceTimersByTime(1000);
    };
    second(2);
    expect(calls).toEqual([]);
    second(3);
    expect(calls).toEqual(['--semi-space-growth-factor=16']);
    second(0);
    second(0);
    expect(calls).toEqual(['--semi-space-growth-factor=16', '--semi-space-growth-factor=1', 'scavenge']);
    adapted.stop();
    expect(server.listenerCount('request')).toBe(0);
  });
});

describe('V8 with the young generation kept small', () => {
  /** The young generation's size (MB) after allocating a lot, much of it kept, in a fresh Node. */
  function youngGenerationAfterAllocating(keepSmall: boolean): number {
    const script = `
      const { keepYoungGenerationSmall } = await import('./packages/server/src/cli/young-generation.ts');
      const { getHeapSpaceStatistics } = await import('node:v8');
      if (${keepSmall}) keepYoungGenerationSmall();
      const kept = [];
      for (let i = 0; i < 2e6; i++) { const o = { i, s: 'x' + i }; if (i % 50 === 0) kept.push(o); }
      const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      process.stdout.write(String(space.space_size / 1048576));
    `;
    const run = spawnSync(
      process.execPath,
      ['--conditions=vexil-source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    if (run.status !== 0) throw new Error(run.stderr);
    return Number(run.stdout);
  }

  it('stays at its initial size where V8 would have grown it', () => {
    expect(youngGenerationAfterAllocating(false)).toBeGreaterThanOrEqual(16);
    expect(youngGenerationAfterAllocating(true)).toBeLessThanOrEqual(4);
  }, 60_000);
});
