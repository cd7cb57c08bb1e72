import type {
  ApiKeyRecord,
  EnvironmentRecord,
  FlagDefinition,
  FlagRecord,
  ProjectRecord,
  SegmentRecord,
  WeightTableRecord,
} from '../../src/stores/index.js';

export const T0 = '2026-11-25T10:00:00.000Z';
export const T1 = '2026-11-25T11:00:00.000Z';

const system = { createdAt: T0, updatedAt: T0, createdBy: 'tester', updatedBy: 'tester' };

export function project(key: string, extra: Partial<ProjectRecord> = {}): ProjectRecord {
  return { key, name: key, description: '', metadata: {}, ...system, ...extra };
}

export function environment(
  project: string,
  key: string,
  extra: Partial<EnvironmentRecord> = {},
): EnvironmentRecord {
  return { project, key, name: key, description: '', position: 0, version: 0, ...system, ...extra };
}

export function flag(
  project: string,
  key: string,
  definition: Partial<FlagDefinition> = {},
  extra: Partial<FlagRecord> = {},
): FlagRecord {
  return {
    project,
    key,
    version: 1,
    archived: false,
    definition: { type: 'boolean', ...definition },
    ...system,
    ...extra,
  };
}

export function segment(project: string, key: string, extra: Partial<SegmentRecord> = {}): SegmentRecord {
  return { project, key, version: 1, definition: { included: ['u1'] }, ...system, ...extra };
}

export function apiKey(id: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    kind: 'server',
    project: 'shop',
    environment: 'production',
    name: id,
    hash: `hash-${id}`,
    hint: 'vx_server_abc…',
    createdAt: T0,
    createdBy: 'tester',
    lastUsedAt: null,
    revokedAt: null,
    expiresAt: null,
    replacedBy: null,
    ...extra,
  };
}

export function weightTable(
  project: string,
  key: string,
  extra: Partial<WeightTableRecord> = {},
): WeightTableRecord {
  return { project, key, version: 1, definition: { weights: { acme: 50, globex: 10 } }, ...system, ...extra };
}
