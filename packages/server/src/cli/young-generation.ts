import type { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8 allocates short-lived objects in its young generation: two semi-spaces that start at
 * 1 MB and double (up to 16 MB each) whenever much survives a scavenge — a single import
 * of a few hundred flags is enough. Node never shrinks them back, so an idle server keeps
 * some 30 MB of resident memory it does not use. Under heavy traffic the large young
 * generation pays off (fewer scavenges: several percent less CPU per request), so
 * `vexil serve` keeps it small, lets it grow to its largest size while requests come fast,
 * and shrinks it back once they stop. Node flags that set the semi-space size (`--max-semi-space-size`, in
 * `NODE_OPTIONS` or on the command line) turn this off.
 */
export interface YoungGenerationOptions {
  /** Requests per second from which the young generation may grow (default 500). */
  readonly busyRequestsPerSecond?: number;
  /** Fewer requests per second than this count as quiet (default 50). */
  readonly quietRequestsPerSecond?: number;
  /** Quiet seconds in a row after which it is shrunk back (default 10). */
  readonly quietSeconds?: number;
}

/** What to do after a second with `requests` requests. */
export type YoungGenerationStep = 'grow' | 'shrink' | undefined;

/** The decision, second by second: grow when busy, shrink after a quiet spell. */
export class YoungGenerationPolicy {
  private growing = false;
  private quiet = 0;
  private readonly busy: number;
  private readonly calm: number;
  private readonly quietSeconds: number;

  constructor(options: YoungGenerationOptions = {}) {
    this.busy = options.busyRequestsPerSecond ?? 500;
    this.calm = options.quietRequestsPerSecond ?? 50;
    this.quietSeconds = options.quietSeconds ?? 10;
  }

  /** Called once a second with the requests that second. */
  tick(requests: number): YoungGenerationStep {
    if (!this.growing) {
      if (requests < this.busy) return undefined;
      this.growing = true;
      this.quiet = 0;
      return 'grow';
    }
    this.quiet = requests < this.calm ? this.quiet + 1 : 0;
    if (this.quiet < this.quietSeconds) return undefined;
    this.growing = false;
    this.quiet = 0;
    return 'shrink';
  }
}

/** Enough to go from the initial 1 MB semi-spaces to V8's largest (16 MB) in one growth. */
const GROW_AT_ONCE = 16;

/** What `adaptYoungGeneration` acts with (tests give their own). */
export interface YoungGenerationControls {
  setFlags(flags: string): void;
  /** A minor GC: with little allocated lately, V8 shrinks the young generation after it. */
  scavenge(): void;
}

const V8_CONTROLS: YoungGenerationControls = {
  setFlags: setFlagsFromString,
  scavenge: () => minorGc()(),
};

let gc: (() => void) | undefined;
function minorGc(): () => void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    const exposed = runInNewContext('gc') as (options: { type: 'minor' }) => void;
    gc = () => exposed({ type: 'minor' });
  }
  return gc;
}

/** Whether the user set the semi-space size with Node flags: then V8 is left alone. */
export function userSetSemiSpace(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((flag) => /semi[-_]space/.test(flag));
}

/**
 * Keeps the young generation at its initial size from now on: call it before the server
 * loads and starts (startup and imports need no more). Returns whether it did.
 */
export function keepYoungGenerationSmall(controls: YoungGenerationControls = V8_CONTROLS): boolean {
  if (userSetSemiSpace()) return false;
  controls.setFlags('--semi-space-growth-factor=1');
  return true;
}

/**
 * From now on, lets the young generation grow while `server` answers many requests, and
 * shrinks it back after a quiet spell (see `YoungGenerationPolicy`). A timer samples the
 * request count once a second; it does not keep the process alive.
 */
export function adaptYoungGeneration(
  server: EventEmitter,
  options: YoungGenerationOptions & { controls?: YoungGenerationControls; intervalMs?: number } = {},
): { stop(): void } {
  const controls = options.controls ?? V8_CONTROLS;
  const policy = new YoungGenerationPolicy(options);
  let requests = 0;
  const count = () => {
    requests++;
  };
  server.on('request', count);
  const timer = setInterval(() => {
    const step = policy.tick(requests);
    requests = 0;
    // A request load leaves little alive per scavenge, so V8 would take many seconds to grow
    // the semi-spaces step by step: the next growth goes straight to the largest size.
    if (step === 'grow') controls.setFlags(`--semi-space-growth-factor=${GROW_AT_ONCE}`);
    else if (step === 'shrink') {
      controls.setFlags('--semi-space-growth-factor=1');
      controls.scavenge();
    }
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      server.off('request', count);
    },
  };
}
