import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { Environment, Project } from '../api/types.js';
import { useApi } from '../auth/auth-context.js';
import { useResource } from '../hooks/use-resource.js';

interface Workspace {
  readonly projects: readonly Project[];
  /** Whether the project list has arrived (it may be empty). */
  readonly projectsLoaded: boolean;
  /** The project in view (from the address), or the last one used. */
  readonly project: string | undefined;
  readonly environments: readonly Environment[];
  /** The environment in view: chosen in the header, remembered per project. */
  readonly environment: string | undefined;
  setEnvironment(key: string): void;
  reloadProjects(): void;
  reloadEnvironments(): void;
}

const WorkspaceContext = createContext<Workspace | undefined>(undefined);

export function useWorkspace(): Workspace {
  const ws = useContext(WorkspaceContext);
  if (ws === undefined) throw new Error('useWorkspace outside WorkspaceProvider');
  return ws;
}

const LAST_PROJECT = 'vexil.project';
const envStorageKey = (project: string) => `vexil.environment.${project}`;

function pickEnvironment(project: string, environments: readonly Environment[]): string | undefined {
  const remembered = localStorage.getItem(envStorageKey(project));
  if (remembered !== null && environments.some((e) => e.key === remembered)) return remembered;
  return environments.find((e) => e.key === 'production')?.key ?? environments[0]?.key;
}

/** Projects and environments for the header's switchers and every page. */
export function WorkspaceProvider({
  project: inView,
  children,
}: {
  project: string | undefined;
  children: ReactNode;
}) {
  const api = useApi();
  const projects = useResource(() => api.projects.list(), [api]);
  const list = projects.data?.items;
  const stored = localStorage.getItem(LAST_PROJECT);
  const project =
    inView ?? (list === undefined ? undefined : (list.find((p) => p.key === stored) ?? list[0])?.key);
  const environments = useResource(
    async () => (project === undefined ? [] : (await api.projects.environments(project)).items),
    [api, project],
  );
  const [environment, setEnv] = useState<string | undefined>();

  useEffect(() => {
    if (inView !== undefined) localStorage.setItem(LAST_PROJECT, inView);
  }, [inView]);
  useEffect(() => {
    if (project !== undefined && environments.data !== undefined) {
      setEnv(pickEnvironment(project, environments.data));
    }
  }, [project, environments.data]);

  const setEnvironment = useCallback(
    (key: string) => {
      if (project !== undefined) localStorage.setItem(envStorageKey(project), key);
      setEnv(key);
    },
    [project],
  );
  const value = useMemo<Workspace>(
    () => ({
      projects: projects.data?.items ?? [],
      projectsLoaded: projects.data !== undefined,
      project,
      environments: environments.data ?? [],
      environment,
      setEnvironment,
      reloadProjects: () => void projects.reload(),
      reloadEnvironments: () => void environments.reload(),
    }),
    [
      projects.data,
      project,
      environments.data,
      environment,
      setEnvironment,
      projects.reload,
      environments.reload,
    ],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}
