/** The signed-in admin key lives in sessionStorage: gone when the tab closes, never in localStorage. */
const TOKEN = 'vexil.token';
const ACTOR = 'vexil.actor';

export interface Session {
  readonly token: string;
  /** The person acting, for the audit log (`X-Vexil-Actor`); optional. */
  readonly actor?: string | undefined;
}

export function loadSession(storage: Storage = sessionStorage): Session | undefined {
  const token = storage.getItem(TOKEN);
  if (token === null || token === '') return undefined;
  return { token, actor: storage.getItem(ACTOR) ?? undefined };
}

export function saveSession(session: Session, storage: Storage = sessionStorage): void {
  storage.setItem(TOKEN, session.token);
  if (session.actor !== undefined && session.actor !== '') storage.setItem(ACTOR, session.actor);
  else storage.removeItem(ACTOR);
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(TOKEN);
  storage.removeItem(ACTOR);
}
