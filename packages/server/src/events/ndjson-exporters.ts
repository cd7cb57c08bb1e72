import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { EventBatchRecord } from '../stores/event-types.js';
import { type EventExporter, toNdjson } from './exporter.js';

export interface FileExporterOptions {
  /** The file events are appended to, one JSON object per line (created when missing). */
  readonly path: string;
  /** fsync after each write (default true): an exported line survives a crash. */
  readonly sync?: boolean | undefined;
}

/**
 * Appends every stored event to a file as NDJSON.
 * @example
 * createEventPipeline({ store, exporters: [createFileExporter({ path: './events.ndjson' })] });
 */
export function createFileExporter(options: FileExporterOptions): EventExporter {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  return {
    name: `file:${options.path}`,
    async export(batches: readonly EventBatchRecord[]) {
      const text = toNdjson(batches);
      if (text === '') return;
      if (handle === undefined) {
        await mkdir(dirname(options.path), { recursive: true });
        handle = await open(options.path, 'a');
      }
      await handle.write(text);
      if (options.sync ?? true) await handle.datasync();
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
}

/**
 * Writes every stored event as NDJSON to a stream (a socket, a child process's stdin,
 * `process.stdout`), one write at a time (a slow reader slows the exporter down).
 */
export function createStreamExporter(options: { stream: Writable; name?: string }): EventExporter {
  const { stream } = options;
  return {
    name: options.name ?? 'stream',
    async export(batches: readonly EventBatchRecord[]) {
      const text = toNdjson(batches);
      if (text === '') return;
      // The callback comes once the chunk is handed on: a slow reader slows the exporter, not memory.
      await new Promise<void>((resolve, reject) =>
        stream.write(text, (error) => (error ? reject(error) : resolve())),
      );
    },
    async close() {
      // The stream belongs to the caller: it is not ended here.
    },
  };
}
