import type {
  EnvironmentConfig,
  Experiment,
  Flag,
  FlagSetInput,
  Prerequisite,
  Rollout,
  Rule,
  Segment,
  Serve,
} from '@vexil/core';
import { type HttpClient, apiPath as p } from './client.js';

type Ramp = NonNullable<Rollout['ramp']>;
type ScheduleStep = NonNullable<Rollout['schedule']>[number];

import type {
  ApiKey,
  ApiKeyKind,
  AuditEntry,
  CreatedKey,
  Environment,
  ExperimentInfo,
  ExperimentResults,
  ExposureCount,
  FlagVersion,
  FlagView,
  Page,
  Project,
  SegmentView,
  SelfKey,
  WeightTableSummary,
  WeightTableView,
} from './types.js';

export interface FlagListQuery {
  limit?: number;
  offset?: number;
  tag?: string | undefined;
  text?: string | undefined;
  archived?: boolean | undefined;
}

export interface AuditQuery {
  limit?: number;
  offset?: number;
  project?: string | undefined;
  environment?: string | undefined;
  resourceType?: string | undefined;
  resourceKey?: string | undefined;
  action?: string | undefined;
}

/**
 * A change to a weight table (JSON merge patch): a weight sets a subject, `null` removes it;
 * `description: null` removes the description. Weights go as typed (the server checks them
 * and names each bad one by its path, `weights.acme`).
 */
export interface WeightTablePatch {
  description?: string | null;
  weights?: Record<string, number | string | null>;
}

/** Where a flag's per-environment change applies. */
export interface FlagTarget {
  readonly project: string;
  readonly flag: string;
  readonly environment: string;
}

/** Every admin API call the dashboard makes, by area. Paths are the API's, values encoded. */
export function createVexilApi(http: HttpClient) {
  const get = <T>(path: string, query?: Record<string, string | number | boolean | undefined>) =>
    http.request<T>('GET', path, query === undefined ? {} : { query });
  const flagPath = (project: string, flag: string) => p`/api/v1/projects/${project}/flags/${flag}`;
  const envPath = (t: FlagTarget) =>
    p`/api/v1/projects/${t.project}/flags/${t.flag}/environments/${t.environment}`;
  const tablePath = (project: string, table: string) =>
    p`/api/v1/projects/${project}/subject-weights/${table}`;
  const write = <T = FlagView>(method: string, path: string, version: number | undefined, body?: unknown) =>
    http.request<T>(method, path, {
      ...(body === undefined ? {} : { body }),
      ...(version === undefined ? {} : { ifMatch: version }),
    });

  return {
    self: () => get<SelfKey>('/api/v1/keys/self'),
    projects: {
      list: () => get<Page<Project>>('/api/v1/projects', { limit: 1000 }),
      create: (body: { key: string; name?: string; description?: string }) =>
        http.request<Project>('POST', '/api/v1/projects', { body }),
      createEnvironment: (project: string, body: { key: string; name?: string }) =>
        http.request<Environment>('POST', p`/api/v1/projects/${project}/environments`, { body }),
      environments: (project: string) =>
        get<Page<Environment>>(p`/api/v1/projects/${project}/environments`, { limit: 1000 }),
      flagSet: (project: string, environment: string, scope: 'server' | 'client' = 'server') =>
        get<FlagSetInput>(p`/api/v1/projects/${project}/environments/${environment}/flag-set`, { scope }),
      experiments: (project: string) =>
        get<{ items: ExperimentInfo[] }>(p`/api/v1/projects/${project}/experiments`),
    },
    flags: {
      list: (project: string, query: FlagListQuery) =>
        get<Page<FlagView>>(p`/api/v1/projects/${project}/flags`, { ...query }),
      get: (project: string, flag: string) => get<FlagView>(flagPath(project, flag)),
      create: (project: string, body: Flag & { key: string }) =>
        http.request<FlagView>('POST', p`/api/v1/projects/${project}/flags`, { body }),
      replace: (project: string, flag: string, version: number, body: unknown) =>
        write('PUT', flagPath(project, flag), version, body),
      patch: (project: string, flag: string, version: number, body: Record<string, unknown>) =>
        write('PATCH', flagPath(project, flag), version, body),
      archive: (project: string, flag: string, version: number) =>
        write('POST', `${flagPath(project, flag)}/archive`, version),
      restore: (project: string, flag: string, version: number) =>
        write('POST', `${flagPath(project, flag)}/restore`, version),
      remove: (project: string, flag: string, version: number) =>
        write<void>('DELETE', flagPath(project, flag), version),
      versions: (project: string, flag: string, query: { limit?: number; offset?: number } = {}) =>
        get<Page<FlagVersion>>(`${flagPath(project, flag)}/versions`, query),
      version: (project: string, flag: string, version: number) =>
        get<FlagVersion>(`${flagPath(project, flag)}/versions/${version}`),
      rollback: (project: string, flag: string, current: number, version: number) =>
        write('POST', `${flagPath(project, flag)}/rollback`, current, { version }),
      setVariant: (project: string, flag: string, version: number, variant: string, value: unknown) =>
        write('PUT', `${flagPath(project, flag)}/variants/${encodeURIComponent(variant)}`, version, {
          value,
        }),
      removeVariant: (project: string, flag: string, version: number, variant: string) =>
        write('DELETE', `${flagPath(project, flag)}/variants/${encodeURIComponent(variant)}`, version),
    },
    /** A flag in one environment; every write takes the flag version it is based on. */
    env: {
      get: (t: FlagTarget) => get<EnvironmentConfig>(envPath(t)),
      replace: (t: FlagTarget, version: number, config: EnvironmentConfig) =>
        write('PUT', envPath(t), version, config),
      patch: (t: FlagTarget, version: number, patch: Record<string, unknown>) =>
        write('PATCH', envPath(t), version, patch),
      setEnabled: (t: FlagTarget, version: number, on: boolean) =>
        write('POST', `${envPath(t)}/${on ? 'enable' : 'disable'}`, version),
      addRule: (t: FlagTarget, version: number, rule: Rule, index?: number) =>
        write('POST', `${envPath(t)}/rules`, version, index === undefined ? { rule } : { rule, index }),
      updateRule: (t: FlagTarget, version: number, id: string, rule: Rule) =>
        write('PUT', `${envPath(t)}/rules/${encodeURIComponent(id)}`, version, rule),
      removeRule: (t: FlagTarget, version: number, id: string) =>
        write('DELETE', `${envPath(t)}/rules/${encodeURIComponent(id)}`, version),
      moveRule: (t: FlagTarget, version: number, id: string, index: number) =>
        write('POST', `${envPath(t)}/rules/${encodeURIComponent(id)}/move`, version, { index }),
      addTargets: (t: FlagTarget, version: number, variant: string, keys: string[]) =>
        write('POST', `${envPath(t)}/targets`, version, { variant, keys }),
      removeTargets: (t: FlagTarget, version: number, keys: string[]) =>
        write('POST', `${envPath(t)}/targets/remove`, version, { keys }),
      setOverride: (t: FlagTarget, version: number, segment: string, variant: string) =>
        write('PUT', `${envPath(t)}/overrides/${encodeURIComponent(segment)}`, version, { variant }),
      removeOverride: (t: FlagTarget, version: number, segment: string) =>
        write('DELETE', `${envPath(t)}/overrides/${encodeURIComponent(segment)}`, version),
      setPrerequisites: (t: FlagTarget, version: number, prerequisites: Prerequisite[]) =>
        write('PUT', `${envPath(t)}/prerequisites`, version, { prerequisites }),
      /** What the default (or, with `rule`, a rule) serves. */
      setServe: (t: FlagTarget, version: number, serve: Serve, rule?: string) =>
        http.request<FlagView>('PUT', `${envPath(t)}/serve`, {
          body: serve,
          ifMatch: version,
          ...(rule === undefined ? {} : { query: { rule } }),
        }),
      setRamp: (t: FlagTarget, version: number, ramp: Ramp | undefined, rule?: string) =>
        http.request<FlagView>(ramp === undefined ? 'DELETE' : 'PUT', `${envPath(t)}/serve/ramp`, {
          ...(ramp === undefined ? {} : { body: { ramp } }),
          ifMatch: version,
          ...(rule === undefined ? {} : { query: { rule } }),
        }),
      setSchedule: (t: FlagTarget, version: number, schedule: ScheduleStep[] | undefined, rule?: string) =>
        http.request<FlagView>(schedule === undefined ? 'DELETE' : 'PUT', `${envPath(t)}/serve/schedule`, {
          ...(schedule === undefined ? {} : { body: { schedule } }),
          ifMatch: version,
          ...(rule === undefined ? {} : { query: { rule } }),
        }),
      experimentInfo: (t: FlagTarget) => get<ExperimentInfo>(`${envPath(t)}/experiment`),
      setExperiment: (t: FlagTarget, version: number, experiment: Experiment) =>
        write('PUT', `${envPath(t)}/experiment`, version, experiment),
      removeExperiment: (t: FlagTarget, version: number) =>
        write('DELETE', `${envPath(t)}/experiment`, version),
      startExperiment: (t: FlagTarget, version: number) =>
        write('POST', `${envPath(t)}/experiment/start`, version, {}),
      stopExperiment: (t: FlagTarget, version: number) =>
        write('POST', `${envPath(t)}/experiment/stop`, version, {}),
    },
    events: {
      exposures: (
        project: string,
        query: { environment?: string; flag?: string; from?: string; to?: string },
      ) => get<{ items: ExposureCount[] }>(p`/api/v1/projects/${project}/events/exposures`, query),
      experimentResults: (t: FlagTarget, query: { control?: string | undefined } = {}) =>
        get<ExperimentResults>(`${envPath(t)}/experiment/results`, query),
    },
    segments: {
      list: (project: string, query: { limit?: number; offset?: number; text?: string | undefined } = {}) =>
        get<Page<SegmentView>>(p`/api/v1/projects/${project}/segments`, query),
      get: (project: string, segment: string) =>
        get<SegmentView>(p`/api/v1/projects/${project}/segments/${segment}`),
      create: (project: string, body: Segment & { key: string }) =>
        http.request<SegmentView>('POST', p`/api/v1/projects/${project}/segments`, { body }),
      replace: (project: string, segment: string, version: number, body: Segment) =>
        write<SegmentView>('PUT', p`/api/v1/projects/${project}/segments/${segment}`, version, body),
      remove: (project: string, segment: string, version: number) =>
        write<void>('DELETE', p`/api/v1/projects/${project}/segments/${segment}`, version),
    },
    /** Subject weight tables; reads carry the version, writes take it (`If-Match`). */
    subjectWeights: {
      list: (project: string, query: { limit?: number; offset?: number; text?: string | undefined } = {}) =>
        get<Page<WeightTableSummary>>(p`/api/v1/projects/${project}/subject-weights`, query),
      get: (project: string, table: string) => get<WeightTableView>(tablePath(project, table)),
      /**
       * Creates a table. `PUT` creates or replaces; `If-None-Match: *` makes one that exists
       * already, or was made meanwhile, answer 412 instead of being replaced.
       */
      create: (
        project: string,
        table: string,
        body: { description?: string; weights: Record<string, number | string> },
      ) => http.request<WeightTableView>('PUT', tablePath(project, table), { body, ifNoneMatch: '*' }),
      /** A JSON merge patch: `{ weights: { acme: 60, globex: null } }` changes acme and removes globex. */
      patch: (project: string, table: string, version: number, body: WeightTablePatch) =>
        write<WeightTableView>('PATCH', tablePath(project, table), version, body),
      remove: (project: string, table: string, version: number) =>
        write<void>('DELETE', tablePath(project, table), version),
    },
    keys: {
      list: (query: { includeInactive?: boolean; limit?: number; offset?: number }) =>
        get<Page<ApiKey>>('/api/v1/keys', query),
      create: (body: {
        kind: ApiKeyKind;
        project?: string;
        environment?: string;
        name?: string;
        expiresAt?: string;
      }) => http.request<CreatedKey>('POST', '/api/v1/keys', { body }),
      revoke: (id: string) => http.request<ApiKey>('DELETE', p`/api/v1/keys/${id}`),
      rotate: (id: string, gracePeriodSeconds: number) =>
        http.request<CreatedKey>('POST', p`/api/v1/keys/${id}/rotate`, { body: { gracePeriodSeconds } }),
      rename: (id: string, name: string) =>
        http.request<ApiKey>('PATCH', p`/api/v1/keys/${id}`, { body: { name } }),
    },
    audit: {
      list: (query: AuditQuery) => get<Page<AuditEntry>>('/api/v1/audit', { ...query }),
    },
  };
}

export type VexilApi = ReturnType<typeof createVexilApi>;
