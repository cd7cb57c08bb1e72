import type { FlagSetInput, JsonValue } from '@vexil/core';
import type { Context } from '../client/context.js';
import { resolveOptions } from '../client/options.js';
import type { VexilClient } from '../client/types.js';
import { VexilClientImpl } from '../client/vexil-client.js';
import { VexilError } from '../errors/vexil-error.js';
import type { Platform } from '../platform/platform.js';
import { silentLogger } from '../util/logger.js';

type FlagDefinition = FlagSetInput['flags'][string];

/** An event recorded by the test client's `track`. */
export interface TrackedEvent {
  name: string;
  context: Context;
  value?: number;
}

/** A client for your own tests: no network, flags set directly. */
export interface TestClient extends VexilClient {
  /** Serves `value` for `key` to everyone (the flag's type follows the value). */
  set(key: string, value: JsonValue): void;
  /** Sets a full flag definition (rules, rollouts, variants …). */
  setFlag(key: string, definition: FlagDefinition): void;
  /** Removes a flag: evaluations return the default with `FLAG_NOT_FOUND`. */
  remove(key: string): void;
  /** Everything passed to `track`, in order. */
  readonly tracked: readonly TrackedEvent[];
}

const memoryPlatform: Platform = {
  name: 'node',
  defaultUrl: undefined,
  cacheStorage: () => undefined,
  eventJournal: () => undefined,
};

class TestClientImpl extends VexilClientImpl implements TestClient {
  private flags: Record<string, FlagDefinition> = {};
  private revision = 0;
  readonly tracked: TrackedEvent[] = [];

  constructor(initial: Record<string, JsonValue>, context: Context | undefined) {
    const options = resolveOptions(
      { source: 'offline', logger: silentLogger, cache: false, events: false },
      undefined,
    );
    options.context = context;
    super(options, memoryPlatform);
    this.change((flags) => {
      for (const [key, value] of Object.entries(initial)) flags[key] = definitionOf(value);
    });
  }

  set(key: string, value: JsonValue): void {
    this.change((flags) => {
      flags[key] = definitionOf(value);
    });
  }

  setFlag(key: string, definition: FlagDefinition): void {
    this.change((flags) => {
      flags[key] = definition;
    });
  }

  remove(key: string): void {
    this.change((flags) => {
      delete flags[key];
    });
  }

  /** Applies a change; an invalid definition throws and leaves the flags as they were. */
  private change(edit: (flags: Record<string, FlagDefinition>) => void): void {
    const previous = this.flags;
    this.flags = { ...previous };
    edit(this.flags);
    try {
      this.publish();
    } catch (error) {
      this.flags = previous;
      this.publish();
      throw error;
    }
  }

  override track(event: string, context?: Context, value?: number): void {
    const merged = { ...this.getContext(), ...context };
    this.tracked.push(
      value === undefined ? { name: event, context: merged } : { name: event, context: merged, value },
    );
  }

  private publish(): void {
    this.revision++;
    const result = this.dataSink.snapshot({ version: this.revision, flags: { ...this.flags } }, 'live');
    const problem =
      result.status === 'rejected' ? result.error : result.status === 'applied' ? result.warning : undefined;
    if (problem !== undefined) throw new VexilError('INVALID_FLAG_DATA', problem.message);
    this.dataSink.connected();
  }
}

function definitionOf(value: JsonValue): FlagDefinition {
  const type =
    typeof value === 'boolean'
      ? 'boolean'
      : typeof value === 'string'
        ? 'string'
        : typeof value === 'number'
          ? 'number'
          : 'json';
  return { type, enabled: true, variants: { value }, defaultServe: { variant: 'value' } };
}

/**
 * Creates an in-memory client for tests: set flags directly, read them back through the
 * real evaluator, inspect what was tracked. Ready at once.
 * @example
 * const flags = createTestClient({ 'new-checkout': true, 'button-color': 'green' });
 * flags.set('new-checkout', false);
 */
export function createTestClient(flags: Record<string, JsonValue> = {}, context?: Context): TestClient {
  return new TestClientImpl(flags, context);
}
