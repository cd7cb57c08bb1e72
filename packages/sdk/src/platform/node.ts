import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileStorage } from '../cache/file-storage.js';
import { FileJournal } from '../events/file-journal.js';
import type { Platform } from './platform.js';
import { onProcessExit } from './process-exit.js';

/** Node: cache and event journal in files, flag files, `http://localhost:4280` by default. */
export const nodePlatform: Platform = {
  name: 'node',
  defaultUrl: 'http://localhost:4280',
  cacheStorage: (options) => fileStorage(options.dir ?? path.join(tmpdir(), 'vexil-sdk')),
  eventJournal: (persist, sdkKey) =>
    new FileJournal(typeof persist === 'string' ? persist : path.join(tmpdir(), 'vexil-sdk-events'), sdkKey),
  readFile: (file) => readFile(file, 'utf8'),
  onExit: onProcessExit,
};
