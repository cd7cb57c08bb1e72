import type {
  ApiKeyKind,
  ApiKeyRecord,
  AuditEntry,
  ChangeRecord,
  EnvironmentRecord,
  FlagDefinition,
  FlagRecord,
  FlagVersionRecord,
  Metadata,
  ProjectRecord,
  ResourceType,
  SegmentRecord,
  WeightTableRecord,
} from '../types.js';
import type { SqlDialect } from './executor.js';

/** A row as drivers return it. */
export type Row = Record<string, unknown>;

const str = (v: unknown): string => String(v);
const num = (v: unknown): number => Number(v);
const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't';

function system(row: Row) {
  return {
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
    createdBy: str(row.created_by),
    updatedBy: str(row.updated_by),
  };
}

export function toProject(d: SqlDialect, row: Row): ProjectRecord {
  return {
    key: str(row.key),
    name: str(row.name),
    description: str(row.description),
    metadata: d.parseJson(row.metadata) as Metadata,
    ...system(row),
  };
}

export function toEnvironment(row: Row): EnvironmentRecord {
  return {
    project: str(row.project),
    key: str(row.key),
    name: str(row.name),
    description: str(row.description),
    position: num(row.position),
    version: num(row.version),
    ...system(row),
  };
}

export function toFlag(d: SqlDialect, row: Row): FlagRecord {
  return {
    project: str(row.project),
    key: str(row.key),
    version: num(row.version),
    archived: bool(row.archived),
    definition: d.parseJson(row.definition) as FlagDefinition,
    ...system(row),
  };
}

export function toFlagVersion(d: SqlDialect, row: Row): FlagVersionRecord {
  return {
    project: str(row.project),
    key: str(row.key),
    version: num(row.version),
    archived: bool(row.archived),
    definition: d.parseJson(row.definition) as FlagDefinition,
    action: str(row.action),
    actor: str(row.actor),
    at: str(row.at),
  };
}

export function toSegment(d: SqlDialect, row: Row): SegmentRecord {
  return {
    project: str(row.project),
    key: str(row.key),
    version: num(row.version),
    definition: d.parseJson(row.definition) as SegmentRecord['definition'],
    ...system(row),
  };
}

export function toWeightTable(d: SqlDialect, row: Row): WeightTableRecord {
  return {
    project: str(row.project),
    key: str(row.key),
    version: num(row.version),
    definition: d.parseJson(row.definition) as WeightTableRecord['definition'],
    ...system(row),
  };
}

export function toApiKey(row: Row): ApiKeyRecord {
  return {
    id: str(row.id),
    kind: str(row.kind) as ApiKeyKind,
    project: optStr(row.project),
    environment: optStr(row.environment),
    name: str(row.name),
    hash: str(row.hash),
    hint: str(row.hint),
    createdAt: str(row.created_at),
    createdBy: str(row.created_by),
    lastUsedAt: optStr(row.last_used_at),
    revokedAt: optStr(row.revoked_at),
    expiresAt: optStr(row.expires_at),
    replacedBy: optStr(row.replaced_by),
  };
}

export function toAudit(d: SqlDialect, row: Row): AuditEntry {
  return {
    id: num(row.id),
    at: str(row.at),
    actor: str(row.actor),
    action: str(row.action),
    resourceType: str(row.resource_type) as ResourceType,
    project: optStr(row.project),
    environment: optStr(row.environment),
    resourceKey: str(row.resource_key),
    version: row.version === null || row.version === undefined ? null : num(row.version),
    before: row.before === null ? null : d.parseJson(row.before),
    after: row.after === null ? null : d.parseJson(row.after),
    comment: optStr(row.comment),
  };
}

export function toChange(d: SqlDialect, row: Row): ChangeRecord {
  return {
    project: str(row.project),
    environment: str(row.environment),
    version: num(row.version),
    previousVersion: num(row.previous_version),
    action: str(row.action),
    flags: d.parseJson(row.flags) as string[],
    segments: d.parseJson(row.segments) as string[],
    at: str(row.at),
  };
}

/** Escapes `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
