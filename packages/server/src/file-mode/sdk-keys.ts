import type { Issue } from '../errors/index.js';
import { ValidationError } from '../errors/index.js';
import { hashSecret, hintOf, newKeyId, newSecret } from '../services/keys/secrets.js';
import type { Store } from '../stores/store.js';
import type { ApiKeyKind } from '../stores/types.js';

/** An SDK key for file mode: its secret, kind (from the prefix) and environment. */
export interface SdkKeySpec {
  readonly secret: string;
  readonly kind: Extract<ApiKeyKind, 'server' | 'client'>;
  /** Undefined: the file's only environment. */
  readonly environment: string | undefined;
}

/** Shortest SDK key secret accepted, so a guessable one never guards the flags. */
export const MIN_SDK_KEY_LENGTH = 20;

/**
 * Reads `--sdk-key` values and `VEXIL_SDK_KEYS` (comma- or space-separated): each is
 * `[environment:]secret`; `vx_client_…` secrets are client keys, any other a server key.
 */
export function parseSdkKeys(values: readonly string[], fromEnv: string | undefined): SdkKeySpec[] {
  const issues: Issue[] = [];
  const entries = [
    ...values.map((v, i) => ({ text: v, path: `--sdk-key[${i}]` })),
    ...(fromEnv ?? '')
      .split(/[\s,]+/)
      .filter((v) => v !== '')
      .map((v, i) => ({ text: v, path: `VEXIL_SDK_KEYS[${i}]` })),
  ];
  const keys: SdkKeySpec[] = [];
  for (const { text, path } of entries) {
    const at = text.indexOf(':');
    const environment = at > 0 ? text.slice(0, at) : undefined;
    const secret = at > 0 ? text.slice(at + 1) : text;
    if (secret.length < MIN_SDK_KEY_LENGTH || secret.length > 512) {
      issues.push({
        path,
        message: `use a secret of ${MIN_SDK_KEY_LENGTH}–512 characters (a long random one)`,
      });
      continue;
    }
    keys.push({ secret, environment, kind: secret.startsWith('vx_client_') ? 'client' : 'server' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'invalid SDK keys');
  return keys;
}

/** The keys file mode uses: the ones given, each tied to an environment; or a server and a client key per environment. */
export function resolveSdkKeys(
  given: readonly SdkKeySpec[],
  environments: readonly string[],
): { keys: (SdkKeySpec & { environment: string })[]; generated: boolean } {
  if (given.length === 0) {
    return {
      generated: true,
      keys: environments.flatMap((environment) =>
        (['server', 'client'] as const).map((kind) => ({ secret: newSecret(kind), kind, environment })),
      ),
    };
  }
  const issues: Issue[] = [];
  const keys = given.flatMap((k, i) => {
    const environment = k.environment ?? (environments.length === 1 ? environments[0] : undefined);
    if (environment === undefined) {
      issues.push({
        path: `sdk key ${i + 1}`,
        message: `the file has several environments (${environments.join(', ')}): write the key as ENVIRONMENT:SECRET`,
      });
      return [];
    }
    if (!environments.includes(environment)) {
      issues.push({
        path: `sdk key ${i + 1}`,
        message: `the file has no environment "${environment}" (it has ${environments.join(', ')})`,
      });
      return [];
    }
    return [{ ...k, environment }];
  });
  if (issues.length > 0) throw new ValidationError(issues, 'invalid SDK keys');
  return { keys, generated: false };
}

/** Puts the keys in the (in-memory) store, so the SDK routes authenticate them as usual. */
export async function installSdkKeys(
  store: Store,
  project: string,
  keys: readonly (SdkKeySpec & { environment: string })[],
): Promise<void> {
  const at = new Date().toISOString();
  await store.transaction(async (tx) => {
    for (const k of keys) {
      await tx.insertApiKey({
        id: newKeyId(),
        kind: k.kind,
        project,
        environment: k.environment,
        name: `file mode ${k.kind} key`,
        hash: hashSecret(k.secret),
        hint: hintOf(k.secret),
        createdAt: at,
        createdBy: 'vexil serve --flags',
        lastUsedAt: null,
        revokedAt: null,
        expiresAt: null,
        replacedBy: null,
      });
    }
  });
}
