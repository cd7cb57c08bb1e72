/** A hash of the dashboard's inputs (its sources, @vexil/core's, configs, the lock file). */
export function inputHash(): string;
/** Whether dist/ was built from the current sources. */
export function isFresh(): boolean;
/** Builds when stale (or always with `force`); resolves to whether it built. */
export function ensureBuilt(options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
