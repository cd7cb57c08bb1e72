import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { createHttpClient } from '../api/client.js';
import type { SelfKey } from '../api/types.js';
import { createVexilApi, type VexilApi } from '../api/vexil-api.js';
import { clearSession, loadSession, type Session, saveSession } from './session.js';

interface Auth {
  readonly api: VexilApi;
  readonly self: SelfKey;
  signOut(reason?: string): void;
}

const AuthContext = createContext<Auth | undefined>(undefined);

/** The signed-in API client; only inside the signed-in part of the app. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (auth === undefined) throw new Error('useAuth outside the signed-in app');
  return auth;
}

export function useApi(): VexilApi {
  return useAuth().api;
}

/** Builds an API client for a session. */
export function apiFor(session: Session, onUnauthenticated?: () => void): VexilApi {
  return createVexilApi(
    createHttpClient({
      token: session.token,
      actor: session.actor,
      ...(onUnauthenticated === undefined ? {} : { onUnauthenticated }),
    }),
  );
}

interface SignedIn {
  readonly session: Session;
  readonly self: SelfKey;
}

/** Holds the session; renders `signIn` when there is none and `children` when there is. */
export function AuthProvider(props: {
  children: ReactNode;
  signIn: (done: (session: Session, self: SelfKey) => void, notice: string | undefined) => ReactNode;
  restoring: (session: Session, done: (self: SelfKey | undefined, notice?: string) => void) => ReactNode;
}) {
  const [stored] = useState(() => loadSession());
  const [signedIn, setSignedIn] = useState<SignedIn | undefined>();
  const [restoring, setRestoring] = useState(stored !== undefined);
  const [notice, setNotice] = useState<string | undefined>();

  const signOut = useCallback((reason?: string) => {
    clearSession();
    setSignedIn(undefined);
    setRestoring(false);
    setNotice(reason);
  }, []);

  const auth = useMemo<Auth | undefined>(() => {
    if (signedIn === undefined) return undefined;
    const api = apiFor(signedIn.session, () =>
      signOut('Your key stopped working (revoked, expired or unknown). Sign in again.'),
    );
    return { api, self: signedIn.self, signOut };
  }, [signedIn, signOut]);

  if (restoring && stored !== undefined) {
    return props.restoring(stored, (self, message) => {
      setRestoring(false);
      if (self === undefined) {
        clearSession();
        setNotice(message);
      } else setSignedIn({ session: stored, self });
    });
  }
  if (auth === undefined) {
    return props.signIn((session, self) => {
      saveSession(session);
      setNotice(undefined);
      setSignedIn({ session, self });
    }, notice);
  }
  return <AuthContext.Provider value={auth}>{props.children}</AuthContext.Provider>;
}
