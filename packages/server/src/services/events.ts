import type { ResourceType } from '../stores/types.js';

/** One change, as before- and after-listeners see it (and as the audit log records it). */
export interface LifecycleEvent {
  /** `flag.enable`, `segment.update`, `apiKey.revoke`, … (see `ACTIONS`). */
  readonly action: string;
  readonly resourceType: ResourceType;
  readonly project: string | null;
  readonly environment: string | null;
  readonly key: string;
  /** The resource's version after the change, when it has one. */
  readonly version: number | null;
  /** The resource before (null when created) and after (null when deleted). */
  readonly before: unknown;
  readonly after: unknown;
  readonly actor: string;
  readonly at: string;
  readonly comment: string | null;
}

/** What a commit changed for SDKs: the delivery layer rebuilds these environments' flag sets. */
export interface CommittedChange {
  readonly project: string;
  /** The commit's version, now the version of every environment listed. */
  readonly version: number;
  readonly environments: readonly { environment: string; version: number; previousVersion: number }[];
  /** Flags and segments that changed (added, updated or removed). */
  readonly flags: readonly string[];
  readonly segments: readonly string[];
  /** Environments that no longer exist after this commit. */
  readonly removedEnvironments: readonly string[];
  readonly action: string;
  readonly at: string;
}

/** A before-listener's refusal. */
export interface Veto {
  readonly veto: string;
}

/** Refuses a change from a before-listener: `return veto('production is frozen')`. */
export function veto(reason: string): Veto {
  return { veto: reason };
}

export type BeforeListener = (event: LifecycleEvent) => undefined | Veto | Promise<undefined | Veto>;
export type AfterListener = (event: LifecycleEvent) => void | Promise<void>;
export type CommittedListener = (change: CommittedChange) => void;

type Unsubscribe = () => void;

/**
 * Lifecycle events (Flipper's PRE_/POST_ events). Before-listeners run inside the change's
 * transaction and may veto it; after-listeners and committed-listeners run once it is
 * committed, and their failures never undo or fail the change.
 * @example
 * vexil.events.before('flag.enable', (e) => (e.environment === 'production' ? veto('frozen') : undefined));
 * vexil.events.after('*', (e) => log.info(e.action));
 */
export class LifecycleEvents {
  private readonly beforeListeners = new Map<string, Set<BeforeListener>>();
  private readonly afterListeners = new Map<string, Set<AfterListener>>();
  private readonly committedListeners = new Set<CommittedListener>();
  /** Called when an after- or committed-listener throws. */
  onListenerError: (error: unknown, action: string) => void = () => undefined;

  /** Listens before `action` (or any action: `'*'`); return `veto(reason)` to refuse. */
  before(action: string | readonly string[], listener: BeforeListener): Unsubscribe {
    return subscribe(this.beforeListeners, action, listener);
  }

  /** Listens after `action` (or `'*'`) is committed. */
  after(action: string | readonly string[], listener: AfterListener): Unsubscribe {
    return subscribe(this.afterListeners, action, listener);
  }

  /** Listens to every commit that changes what SDKs see (flag sets and their versions). */
  committed(listener: CommittedListener): Unsubscribe {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  /** Returns the first veto's reason, if any listener refuses. */
  async runBefore(event: LifecycleEvent): Promise<string | undefined> {
    for (const listener of listenersFor(this.beforeListeners, event.action)) {
      const result = await listener(event);
      if (result !== undefined && typeof result.veto === 'string') return result.veto;
    }
    return undefined;
  }

  async runAfter(event: LifecycleEvent): Promise<void> {
    for (const listener of listenersFor(this.afterListeners, event.action)) {
      try {
        await listener(event);
      } catch (error) {
        this.onListenerError(error, event.action);
      }
    }
  }

  runCommitted(change: CommittedChange): void {
    for (const listener of this.committedListeners) {
      try {
        listener(change);
      } catch (error) {
        this.onListenerError(error, 'committed');
      }
    }
  }
}

function subscribe<L>(
  map: Map<string, Set<L>>,
  action: string | readonly string[],
  listener: L,
): Unsubscribe {
  const actions = typeof action === 'string' ? [action] : action;
  for (const a of actions) {
    let set = map.get(a);
    if (set === undefined) {
      set = new Set();
      map.set(a, set);
    }
    set.add(listener);
  }
  return () => {
    for (const a of actions) map.get(a)?.delete(listener);
  };
}

function listenersFor<L>(map: Map<string, Set<L>>, action: string): L[] {
  return [...(map.get(action) ?? []), ...(map.get('*') ?? [])];
}
