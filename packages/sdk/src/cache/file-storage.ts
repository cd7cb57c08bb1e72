import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TextStorage } from './storage.js';

/** A `TextStorage` over files in a directory; writes go to a temporary file renamed into place. */
export function fileStorage(dir: string): TextStorage {
  return {
    location: dir,
    async read(name) {
      try {
        return await readFile(path.join(dir, name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(name, text) {
      await mkdir(dir, { recursive: true });
      const temp = path.join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temp, text, { mode: 0o600 });
        await rename(temp, path.join(dir, name));
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async remove(name) {
      await rm(path.join(dir, name), { force: true });
    },
  };
}
