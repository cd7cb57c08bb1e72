import type { DataOrigin, FlagPatch, StoreResult } from '../client/flag-store.js';
import type { VexilError } from '../errors/vexil-error.js';

/** What a data source reports to the client. */
export interface SourceSink {
  /** A whole flag set arrived (parsed JSON). */
  snapshot(data: unknown, origin: DataOrigin): StoreResult;
  /** A patch arrived. */
  patch(patch: FlagPatch): StoreResult;
  /** The source is in sync with the server (or the file was read). */
  connected(): void;
  /** The source lost contact; it keeps trying. */
  interrupted(error: VexilError): void;
  /** The source stopped for good (for example both keys refused). */
  failed(error: VexilError): void;
  /** Something worth reporting that does not stop the source. */
  error(error: VexilError): void;
  /** The version of the flag definitions held (undefined when none are held). */
  version(): number | undefined;
}

/** Where flags come from: a stream, a poller, a bucket, a file. */
export interface DataSource {
  start(): void;
  stop(): void;
  /** Fetches now, when the source can (polling sources). */
  refresh?(): Promise<void>;
}
