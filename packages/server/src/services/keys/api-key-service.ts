import { InvalidStateError, NotFoundError, ValidationError } from '../../errors/index.js';
import type { StoreWriter } from '../../stores/store.js';
import { API_KEY_KINDS, type ApiKeyKind, type ApiKeyRecord, type ListResult } from '../../stores/types.js';
import type { Change, CommitMeta, ServiceContext, WriteOptions } from '../context.js';
import { page, requireEnvironment } from '../lookups.js';
import { type ApiKeyView, apiKeyView } from '../views.js';
import { KeyCache } from './key-cache.js';
import { hashSecret, hintOf, newKeyId, newSecret } from './secrets.js';

export interface CreateKeyInput {
  readonly kind: ApiKeyKind;
  /** Required for `server` and `client` keys; not allowed for `admin` keys. */
  readonly project?: string | undefined;
  readonly environment?: string | undefined;
  readonly name?: string | undefined;
  /** When the key stops working (default: never). */
  readonly expiresAt?: string | undefined;
}

/** A new key: the secret is shown here once and never stored. */
export interface CreatedKey {
  readonly key: ApiKeyView;
  readonly secret: string;
}

export interface ApiKeyServiceOptions {
  /** Least time between two writes of a key's last-used time (default 60 s). */
  readonly touchIntervalMs?: number;
  /** Record last-used times at all (off on read-only servers). */
  readonly recordLastUsed?: boolean;
  /** How long a looked-up key is trusted before it is read again (default 5 s). */
  readonly cacheTtlMs?: number;
}

/** Default overlap of a rotated key with its successor. */
export const DEFAULT_GRACE_SECONDS = 3600;

/**
 * API keys: `admin` (everything), `server` (one environment, full definitions) and
 * `client` (one environment, client-visible flags only). Stored as sha256 hashes.
 */
export class ApiKeyService {
  private readonly cache: KeyCache;
  private readonly touched = new Map<string, number>();
  private readonly touchIntervalMs: number;
  private readonly recordLastUsed: boolean;

  constructor(
    private readonly ctx: ServiceContext,
    options: ApiKeyServiceOptions = {},
  ) {
    this.cache = new KeyCache(options.cacheTtlMs ?? 5000);
    this.touchIntervalMs = options.touchIntervalMs ?? 60_000;
    this.recordLastUsed = options.recordLastUsed ?? true;
  }

  create(input: CreateKeyInput, options: WriteOptions = {}): Promise<CreatedKey> {
    return this.ctx.commit(options, async (tx, meta) => {
      const scope = await checkScope(tx, input);
      const secret = newSecret(input.kind);
      const record = newRecord(
        input.kind,
        scope,
        input.name ?? `${input.kind} key`,
        secret,
        meta,
        input.expiresAt ?? null,
      );
      await tx.insertApiKey(record);
      const view = apiKeyView(record, meta.at);
      return { result: { key: view, secret }, changes: [keyChange('apiKey.create', record, null, view)] };
    });
  }

  /**
   * Makes `secret` an admin key unless a key with that secret exists (used for
   * `VEXIL_ADMIN_TOKEN`). Returns the key and whether it was created.
   */
  ensureAdminKey(
    secret: string,
    name: string,
    options: WriteOptions = {},
  ): Promise<{ key: ApiKeyView; created: boolean }> {
    return this.ctx.commit<{ key: ApiKeyView; created: boolean }>(options, async (tx, meta) => {
      const existing = await tx.getApiKeyByHash(hashSecret(secret));
      if (existing !== undefined)
        return { result: { key: apiKeyView(existing, meta.at), created: false }, changes: [] };
      const record = newRecord('admin', { project: null, environment: null }, name, secret, meta, null);
      await tx.insertApiKey(record);
      const view = apiKeyView(record, meta.at);
      return {
        result: { key: view, created: true },
        changes: [keyChange('apiKey.create', record, null, view)],
      };
    });
  }

  async get(id: string): Promise<ApiKeyView> {
    return apiKeyView(await this.require(this.ctx.store, id), this.ctx.now());
  }

  async list(
    options: {
      kind?: ApiKeyKind | undefined;
      project?: string | undefined;
      environment?: string | undefined;
      includeInactive?: boolean | undefined;
      limit?: number | undefined;
      offset?: number | undefined;
    } = {},
  ): Promise<ListResult<ApiKeyView>> {
    const now = this.ctx.now();
    const result = await this.ctx.store.listApiKeys({ ...options, ...page(options), now });
    return { total: result.total, items: result.items.map((r) => apiKeyView(r, now)) };
  }

  rename(id: string, name: string, options: WriteOptions = {}): Promise<ApiKeyView> {
    return this.ctx.commit(options, async (tx, meta) => {
      const before = await this.require(tx, id);
      const after = { ...before, name };
      await tx.updateApiKey(after);
      const view = apiKeyView(after, meta.at);
      return {
        result: view,
        changes: [keyChange('apiKey.update', after, apiKeyView(before, meta.at), view)],
      };
    });
  }

  /** Stops the key at once. Revoking a revoked key changes nothing. */
  revoke(id: string, options: WriteOptions = {}): Promise<ApiKeyView> {
    return this.ctx.commit(options, async (tx, meta) => {
      const before = await this.require(tx, id);
      if (before.revokedAt !== null) return { result: apiKeyView(before, meta.at), changes: [] };
      const after = { ...before, revokedAt: meta.at };
      await tx.updateApiKey(after);
      this.cache.clear();
      const view = apiKeyView(after, meta.at);
      return {
        result: view,
        changes: [keyChange('apiKey.revoke', after, apiKeyView(before, meta.at), view)],
      };
    });
  }

  /**
   * Replaces the key with a new one of the same kind and scope. The old key keeps working
   * for `gracePeriodSeconds` (default one hour; 0 stops it at once), so clients can move over.
   */
  rotate(
    id: string,
    options: WriteOptions & { gracePeriodSeconds?: number | undefined } = {},
  ): Promise<CreatedKey & { previous: ApiKeyView }> {
    const grace = options.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
    return this.ctx.commit(options, async (tx, meta) => {
      if (!Number.isFinite(grace) || grace < 0) {
        throw new ValidationError([
          { path: 'gracePeriodSeconds', message: 'expected a number of seconds ≥ 0' },
        ]);
      }
      const old = await this.require(tx, id);
      const status = apiKeyView(old, meta.at).status;
      if (status !== 'active')
        throw new InvalidStateError(`key ${id} is ${status}: only an active key can be rotated`);
      const secret = newSecret(old.kind);
      const scope = { project: old.project, environment: old.environment };
      const successor = newRecord(old.kind, scope, old.name, secret, meta, null);
      await tx.insertApiKey(successor);
      const graceEnd = new Date(Date.parse(meta.at) + grace * 1000).toISOString();
      const expiresAt = old.expiresAt !== null && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
      const retired = { ...old, expiresAt, replacedBy: successor.id };
      await tx.updateApiKey(retired);
      this.cache.clear();
      const key = apiKeyView(successor, meta.at);
      const previous = apiKeyView(retired, meta.at);
      return {
        result: { key, secret, previous },
        changes: [
          keyChange('apiKey.rotate', old, apiKeyView(old, meta.at), previous),
          keyChange('apiKey.create', successor, null, key),
        ],
      };
    });
  }

  /**
   * The active key a secret belongs to, or undefined (unknown, revoked or expired).
   * Records the last use now and then; never writes on every call.
   */
  async authenticate(secret: string): Promise<ApiKeyRecord | undefined> {
    if (!plausibleSecret(secret)) return undefined;
    let nowMs = this.ctx.nowMs();
    let record = this.cache.get(secret, nowMs);
    if (record === undefined) {
      record = (await this.ctx.store.getApiKeyByHash(hashSecret(secret))) ?? null;
      nowMs = this.ctx.nowMs();
      this.cache.set(secret, record, nowMs);
    }
    return this.active(record, nowMs) ?? undefined;
  }

  /**
   * What `authenticate` would answer, when the key cache already knows it (no promise, no
   * store read): the active key, null (unknown, revoked or expired), or undefined when the
   * key has to be looked up with `authenticate`.
   */
  authenticateCached(secret: string): ApiKeyRecord | null | undefined {
    if (!plausibleSecret(secret)) return null;
    const nowMs = this.ctx.nowMs();
    const record = this.cache.get(secret, nowMs);
    return record === undefined ? undefined : this.active(record, nowMs);
  }

  /** The record if it is active now (and then records the use), else null. */
  private active(record: ApiKeyRecord | null, nowMs: number): ApiKeyRecord | null {
    if (record === null || record.revokedAt !== null) return null;
    // Compared as the ISO strings they are stored as; the time is formatted only for keys that expire.
    if (record.expiresAt !== null && record.expiresAt <= new Date(nowMs).toISOString()) return null;
    this.touch(record.id, nowMs);
    return record;
  }

  /** Forgets cached keys (after a change made elsewhere, e.g. by another server). */
  clearCache(): void {
    this.cache.clear();
  }

  private touch(id: string, now: number): void {
    if (!this.recordLastUsed) return;
    if (now - (this.touched.get(id) ?? Number.NEGATIVE_INFINITY) < this.touchIntervalMs) return;
    this.touched.set(id, now);
    this.ctx.store.touchApiKey(id, new Date(now).toISOString()).catch(() => this.touched.delete(id));
  }

  private async require(db: Pick<StoreWriter, 'getApiKey'>, id: string): Promise<ApiKeyRecord> {
    const record = await db.getApiKey(id);
    if (record === undefined) throw new NotFoundError('API key', id);
    return record;
  }
}

/** Secrets are 16 to 512 characters: anything else is no key, without hashing it. */
function plausibleSecret(secret: string): boolean {
  return secret.length >= 16 && secret.length <= 512;
}

async function checkScope(
  tx: StoreWriter,
  input: CreateKeyInput,
): Promise<{ project: string | null; environment: string | null }> {
  if (!API_KEY_KINDS.includes(input.kind)) {
    throw new ValidationError([{ path: 'kind', message: `expected one of ${API_KEY_KINDS.join(', ')}` }]);
  }
  if (input.kind === 'admin') {
    if (input.project !== undefined || input.environment !== undefined) {
      throw new ValidationError([
        { path: 'project', message: 'an admin key belongs to no project or environment' },
      ]);
    }
    return { project: null, environment: null };
  }
  const issues = [];
  if (input.project === undefined)
    issues.push({ path: 'project', message: `required for a ${input.kind} key` });
  if (input.environment === undefined)
    issues.push({ path: 'environment', message: `required for a ${input.kind} key` });
  if (issues.length > 0) throw new ValidationError(issues);
  await requireEnvironment(tx, input.project!, input.environment!);
  return { project: input.project!, environment: input.environment! };
}

function newRecord(
  kind: ApiKeyKind,
  scope: { project: string | null; environment: string | null },
  name: string,
  secret: string,
  meta: CommitMeta,
  expiresAt: string | null,
): ApiKeyRecord {
  return {
    id: newKeyId(),
    kind,
    ...scope,
    name,
    hash: hashSecret(secret),
    hint: hintOf(secret),
    createdAt: meta.at,
    createdBy: meta.actor,
    lastUsedAt: null,
    revokedAt: null,
    expiresAt,
    replacedBy: null,
  };
}

function keyChange(action: string, r: ApiKeyRecord, before: unknown, after: unknown): Change {
  return {
    action,
    resourceType: 'apiKey',
    project: r.project,
    environment: r.environment,
    key: r.id,
    version: null,
    before,
    after,
  };
}
