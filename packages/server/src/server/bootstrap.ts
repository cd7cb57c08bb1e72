import { AlreadyExistsError } from '../errors/index.js';
import type { Vexil } from '../services/vexil.js';

/** The project a fresh server starts with. */
export const DEFAULT_PROJECT = 'default';
const BOOTSTRAP_META = 'bootstrap';

export interface BootstrapResult {
  /** True on the very first start of this database. */
  readonly firstStart: boolean;
  /** A generated admin key's secret, to show once; undefined when none was created. */
  readonly generatedAdminKey: string | undefined;
  /** Whether `VEXIL_ADMIN_TOKEN` was added as an admin key on this start. */
  readonly adminTokenAdded: boolean;
  /** Warnings for the log (a revoked admin token, no admin key left …). */
  readonly warnings: string[];
}

/**
 * Prepares a database for use. On the first start: the `default` project with
 * `development` and `production`, and the first admin key — `VEXIL_ADMIN_TOKEN` when set,
 * otherwise a generated one, returned to be shown once. On later starts: adds
 * `VEXIL_ADMIN_TOKEN` as an admin key if no key has that secret (a way back in when the
 * admin key is lost).
 */
export async function bootstrap(
  vexil: Vexil,
  options: { adminToken?: string | undefined } = {},
): Promise<BootstrapResult> {
  const warnings: string[] = [];
  const firstStart = (await vexil.store.getMeta(BOOTSTRAP_META)) === undefined;
  let generatedAdminKey: string | undefined;
  let adminTokenAdded = false;
  const actor = { actor: 'system (first start)' };
  if (firstStart) {
    if (!(await vexil.projects.exists(DEFAULT_PROJECT))) {
      try {
        await vexil.projects.create(DEFAULT_PROJECT, { name: 'Default project' }, actor);
      } catch (error) {
        // Another server sharing the database got there first.
        if (!(error instanceof AlreadyExistsError)) throw error;
      }
    }
  }
  if (options.adminToken !== undefined) {
    const { key, created } = await vexil.keys.ensureAdminKey(options.adminToken, 'VEXIL_ADMIN_TOKEN', actor);
    adminTokenAdded = created;
    if (key.status !== 'active')
      warnings.push(`VEXIL_ADMIN_TOKEN is a ${key.status} key (${key.id}): it does not work`);
  } else if (firstStart) {
    const admins = await vexil.keys.list({ kind: 'admin', includeInactive: true, limit: 1 });
    if (admins.total === 0) {
      generatedAdminKey = (await vexil.keys.create({ kind: 'admin', name: 'first admin key' }, actor)).secret;
    }
  }
  if (generatedAdminKey === undefined && (await vexil.keys.list({ kind: 'admin', limit: 1 })).total === 0) {
    warnings.push(
      'no active admin key: set VEXIL_ADMIN_TOKEN to a long random secret and restart to add one',
    );
  }
  if (firstStart) {
    await vexil.store.transaction((tx) => tx.setMeta(BOOTSTRAP_META, { at: new Date().toISOString() }));
  }
  return { firstStart, generatedAdminKey, adminTokenAdded, warnings };
}

/** What the server prints, once, when it made the first admin key itself. */
export function adminKeyNotice(secret: string, url: string): string {
  return [
    '',
    '  Vexil created the first admin key. It is shown only this once — store it safely:',
    '',
    `    ${secret}`,
    '',
    '  Use it as "Authorization: Bearer <key>", e.g.',
    `    curl -H "Authorization: Bearer ${secret}" ${url}/api/v1/projects`,
    '',
    '  More keys: POST /api/v1/keys with this key (see /docs).',
    '  Lost it? Restart with VEXIL_ADMIN_TOKEN=<a long random secret>: that secret is added as an admin key.',
    '',
  ].join('\n');
}
