import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { envelopeVersion, type PublishedFile, type PublishTarget } from './publish-target.js';

/**
 * Publishes flag files into a directory (served by any web server or CDN origin). Each
 * file is written to a temporary name in the same directory, flushed to disk, and renamed
 * over the old one: readers see the old file or the new one, never a part.
 * @example
 * createDirectoryTarget({ path: '/var/www/flags' });
 */
export function createDirectoryTarget(options: { path: string }): PublishTarget {
  const root = resolve(options.path);
  const pathOf = (key: string) => join(root, key);
  return {
    name: `dir:${root}`,
    async versionOf(key) {
      try {
        return envelopeVersion(await readFile(pathOf(key), 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(file: PublishedFile) {
      const target = pathOf(file.key);
      const dir = dirname(target);
      await mkdir(dir, { recursive: true });
      const temp = join(dir, `.${file.key.split('/').pop()}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        const handle = await open(temp, 'wx', 0o644);
        try {
          await handle.writeFile(file.body);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      // The rename itself survives a crash once the directory is flushed too.
      const dirHandle = await open(dir, 'r');
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    },
    async close() {},
  };
}
