import type { Rollout, Serve } from '@vexil/core';
import { usageError } from './cli-error.js';

/** 100 % in rollout weights (thousandths of a percent). */
const ALL = 100_000;

/** What `vexil rollout` was asked to do, as typed. */
export interface RolloutRequest {
  readonly on?: string | undefined;
  readonly split?: string | undefined;
  readonly variant?: string | undefined;
  readonly ramp?: string | undefined;
  readonly over?: string | undefined;
  readonly start?: string | undefined;
  readonly until?: string | undefined;
  readonly step?: readonly string[] | undefined;
  readonly bucketBy?: string | undefined;
  readonly seed?: string | undefined;
  readonly random?: boolean | undefined;
  /** A weight table to balance the rollout by; false (`--no-weighted-by`) goes back to head count. */
  readonly weightedBy?: string | false | undefined;
}

/** The flag as far as planning a rollout needs it. */
export interface FlagShape {
  readonly type: string;
  readonly variants?: Record<string, unknown> | undefined;
}

type Weights = Record<string, number>;

/** Whether the request changes anything (otherwise `vexil rollout` shows the current serve). */
export function changesServe(r: RolloutRequest): boolean {
  return [r.on, r.split, r.variant, r.ramp, r.step, r.bucketBy, r.seed, r.random, r.weightedBy].some(
    (v) => v !== undefined,
  );
}

/**
 * The serve to set, from the request, the flag and what it serves now. Pure; `now` anchors
 * relative times (`+7d`) and ramps that start now.
 */
export function planServe(r: RolloutRequest, flag: FlagShape, current: Serve | undefined, now: Date): Serve {
  const given = (['on', 'split', 'ramp', 'step', 'bucketBy', 'seed', 'random', 'weightedBy'] as const).filter(
    (k) => r[k] !== undefined,
  );
  if (r.variant !== undefined) {
    if (given.length > 0)
      throw usageError(`--variant serves one variant to everyone: drop --${given.map(kebab).join(', --')}`);
    return { variant: r.variant };
  }
  if (r.on !== undefined && r.split !== undefined) throw usageError('give --on or --split, not both');
  if (r.ramp !== undefined && r.step !== undefined)
    throw usageError('give --ramp or --step, not both: a rollout ramps or steps');
  if (r.ramp === undefined && (r.over !== undefined || r.until !== undefined || r.start !== undefined)) {
    throw usageError('--over, --until and --start go with --ramp');
  }
  const previous = current?.rollout;
  const rollout: { -readonly [K in keyof Rollout]: Rollout[K] } = {
    variants: { ...(previous?.variants ?? {}) },
  };
  for (const field of ['bucketBy', 'seed', 'random', 'weightedBy'] as const) {
    const value = r[field] ?? previous?.[field];
    if (value !== undefined) (rollout as Record<string, unknown>)[field] = value;
  }
  if (r.random === false) delete rollout.random;
  if (r.weightedBy === false) delete rollout.weightedBy;
  let base: Weights | undefined =
    r.on !== undefined
      ? weightsOf(r.on, flag, '--on')
      : r.split !== undefined
        ? weightsOf(r.split, flag, '--split')
        : undefined;

  if (r.ramp !== undefined) {
    const [fromText, toText] = splitRange(r.ramp);
    if (fromText !== '') {
      if (base !== undefined)
        throw usageError('--ramp FROM..TO already says where it starts: drop --on / --split');
      base = weightsOf(fromText, flag, '--ramp');
    }
    const start = r.start === undefined ? now : instant('--start', r.start, now);
    const end = rampEnd(r, start, now);
    rollout.ramp = {
      start: start.toISOString(),
      end: end.toISOString(),
      to: weightsOf(toText, flag, '--ramp'),
    };
  } else if (r.step !== undefined) {
    const steps = r.step.map((s) => step(s, flag, now)).sort((a, b) => a.at.localeCompare(b.at));
    rollout.schedule = steps;
  } else if (base === undefined && previous !== undefined) {
    // only bucketBy / seed / random / weightedBy changed: keep the ramp or schedule
    if (previous.ramp !== undefined) rollout.ramp = previous.ramp;
    if (previous.schedule !== undefined) rollout.schedule = previous.schedule;
  }
  if (base === undefined && previous === undefined) {
    if (r.step !== undefined && onOff(flag) !== undefined) base = onWeights(0, flag, '--step');
    else
      throw usageError(
        `${current?.variant === undefined ? 'nothing is rolled out yet' : `it serves the variant ${current.variant}`}: say where the rollout starts with --on or --split`,
      );
  }
  if (base !== undefined) rollout.variants = base;
  return { rollout };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function splitRange(text: string): [string, string] {
  const at = text.indexOf('..');
  if (at < 0) return ['', text.trim()];
  const to = text.slice(at + 2).trim();
  if (to === '') throw usageError(`--ramp: expected FROM..TO (e.g. 0%..100%), got ${JSON.stringify(text)}`);
  return [text.slice(0, at).trim(), to];
}

function rampEnd(r: RolloutRequest, start: Date, now: Date): Date {
  if (r.over !== undefined && r.until !== undefined) throw usageError('give --over or --until, not both');
  if (r.over === undefined && r.until === undefined)
    throw usageError('--ramp needs --over (e.g. 7d) or --until (a date)');
  const end =
    r.over !== undefined
      ? new Date(start.getTime() + durationMs('--over', r.over))
      : instant('--until', r.until!, now);
  if (end.getTime() <= start.getTime()) throw usageError('the ramp must end after it starts');
  return end;
}

function step(text: string, flag: FlagShape, now: Date): { at: string; variants: Weights } {
  const at = text.lastIndexOf('@');
  if (at < 0) throw usageError(`--step: expected WEIGHTS@WHEN (e.g. 25%@+1d), got ${JSON.stringify(text)}`);
  return {
    at: instant('--step', text.slice(at + 1), now).toISOString(),
    variants: weightsOf(text.slice(0, at), flag, '--step'),
  };
}

/** `25%` (the share of a boolean flag's on variant) or `a=50%,b=50%` (every variant's share). */
export function weightsOf(text: string, flag: FlagShape, option: string): Weights {
  if (!text.includes('=')) return onWeights(percentToWeight(option, text), flag, option);
  const weights: Weights = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    if (at < 1 || name === '')
      throw usageError(`${option}: expected variant=percent, got ${JSON.stringify(part)}`);
    if (name in weights) throw usageError(`${option}: ${name} is given twice`);
    weights[name] = percentToWeight(`${option} ${name}`, part.slice(at + 1));
  }
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (sum !== ALL)
    throw usageError(`${option}: the shares add up to ${sum / 1000}%, they must add up to 100%`);
  return weights;
}

function onWeights(weight: number, flag: FlagShape, option: string): Weights {
  const names = onOff(flag);
  if (names === undefined) {
    throw usageError(
      `${option} with one percentage is for boolean flags; for a ${flag.type} flag give every share, e.g. a=50%,b=50%`,
    );
  }
  return weight === ALL
    ? { [names.on]: ALL, [names.off]: 0 }
    : { [names.on]: weight, [names.off]: ALL - weight };
}

/** A boolean flag's on and off variants (the variants valued true and false). */
function onOff(flag: FlagShape): { on: string; off: string } | undefined {
  if (flag.type !== 'boolean') return undefined;
  const variants = Object.entries(flag.variants ?? { on: true, off: false });
  const on = variants.find(([, v]) => v === true)?.[0];
  const off = variants.find(([, v]) => v === false)?.[0];
  return on === undefined || off === undefined ? undefined : { on, off };
}

/** `25%`, `25`, `0.125%` → weight in thousandths of a percent. */
export function percentToWeight(option: string, text: string): number {
  const match = /^\s*(\d{1,3}(?:\.\d{1,3})?)\s*%?\s*$/.exec(text);
  const value = match === null ? Number.NaN : Number(match[1]);
  if (!(value >= 0 && value <= 100)) {
    throw usageError(
      `${option}: expected a percentage 0–100 with at most 3 decimals (e.g. 25% or 0.5%), got ${JSON.stringify(text.trim())}`,
    );
  }
  return Math.round(value * 1000);
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `12h`, `7d`, `2w`, `1d12h` → milliseconds. */
export function durationMs(option: string, text: string): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)];
  const joined = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || joined !== text.trim()) {
    throw usageError(`${option}: expected a duration like 30m, 12h, 7d or 2w, got ${JSON.stringify(text)}`);
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2]!] ?? 0), 0);
  if (ms <= 0) throw usageError(`${option}: the duration must be longer than zero`);
  return ms;
}

/** `now`, `+2h` (from now) or an ISO 8601 date-time (a date alone is midnight UTC). */
export function instant(option: string, text: string, now: Date): Date {
  const t = text.trim();
  if (t === 'now') return now;
  if (t.startsWith('+')) return new Date(now.getTime() + durationMs(option, t.slice(1)));
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw usageError(
      `${option}: expected now, +DURATION (e.g. +2h) or a date-time like 2026-12-01T09:00:00Z, got ${JSON.stringify(text)}`,
    );
  }
  return new Date(ms);
}
