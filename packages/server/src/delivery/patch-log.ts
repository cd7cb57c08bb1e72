import type { PatchRecord } from './snapshot-patch.js';

/** Bounds of the patches kept per environment and scope, for `Last-Event-ID` resumes. */
export interface PatchLogLimits {
  /** At most this many patches (default 256). */
  readonly maxPatches?: number;
  /** At most this many bytes of patch JSON (default 4 MiB). */
  readonly maxBytes?: number;
}

/** The latest patches of one environment and scope, oldest first; older ones fall off. */
export class PatchLog {
  private readonly entries: PatchRecord[] = [];
  private bytes = 0;
  private readonly maxPatches: number;
  private readonly maxBytes: number;

  constructor(limits: PatchLogLimits = {}) {
    this.maxPatches = limits.maxPatches ?? 256;
    this.maxBytes = limits.maxBytes ?? 4 * 1024 * 1024;
  }

  push(record: PatchRecord): void {
    this.entries.push(record);
    this.bytes += record.json.length;
    while (this.entries.length > this.maxPatches || (this.bytes > this.maxBytes && this.entries.length > 1)) {
      this.bytes -= this.entries.shift()!.json.length;
    }
  }

  /**
   * The patches that lead from `version` to `current`, or undefined when some are no longer
   * held (or `version` was never a version here): then the caller sends a full snapshot.
   */
  since(version: number, current: number): readonly PatchRecord[] | undefined {
    if (version === current) return [];
    if (version > current) return undefined;
    const start = this.entries.findIndex((p) => p.previousVersion === version);
    if (start < 0) return undefined;
    const chain = this.entries.slice(start);
    for (let i = 1; i < chain.length; i++)
      if (chain[i]!.previousVersion !== chain[i - 1]!.version) return undefined;
    return chain[chain.length - 1]?.version === current ? chain : undefined;
  }
}
