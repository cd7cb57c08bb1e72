import { type FormEvent, useEffect, useRef, useState } from 'react';
import { asApiError } from '../api/errors.js';
import type { SelfKey } from '../api/types.js';
import { apiFor } from '../auth/auth-context.js';
import type { Session } from '../auth/session.js';
import { ErrorBox } from '../components/error-box.js';

/** Checks a key with `GET /keys/self`: it must be an active admin key. */
async function check(session: Session): Promise<SelfKey> {
  const self = await apiFor(session).self();
  if (self.kind !== 'admin') {
    throw new Error(
      `this is a ${self.kind} key (for SDKs, one environment); the dashboard needs an admin key (vx_admin_…)`,
    );
  }
  return self;
}

export function SignInPage(props: {
  onSignedIn: (session: Session, self: SelfKey) => void;
  notice?: string | undefined;
}) {
  const [token, setToken] = useState('');
  const [actor, setActor] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const session = { token: token.trim(), actor: actor.trim() === '' ? undefined : actor.trim() };
    try {
      props.onSignedIn(session, await check(session));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          <span className="brand-mark" aria-hidden="true" /> Sign in to Vexil
        </h1>
        {props.notice !== undefined && (
          <p className="notice" role="status">
            {props.notice}
          </p>
        )}
        <label htmlFor="admin-key">Admin key</label>
        <input
          id="admin-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="vx_admin_…"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          required
          aria-describedby="admin-key-help"
        />
        <p id="admin-key-help" className="help">
          The key <code>vexil serve</code> printed on its first start (or one from{' '}
          <code>POST /api/v1/keys</code>). It is kept in this tab only (sessionStorage) and sent to this
          server alone.
        </p>
        <label htmlFor="actor">Your name (optional)</label>
        <input
          id="actor"
          autoComplete="name"
          placeholder="alice@example.com"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          aria-describedby="actor-help"
        />
        <p id="actor-help" className="help">
          Shown in the audit log next to the key’s name.
        </p>
        {error !== undefined && <ErrorBox error={error} title="Cannot sign in:" />}
        <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

/** Checks a key kept from earlier in this tab (a page reload). */
export function Restoring(props: {
  session: Session;
  done: (self: SelfKey | undefined, notice?: string) => void;
}) {
  const done = useRef(props.done);
  done.current = props.done;
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const { session } = props;
  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt re-runs the check on "Retry"
  useEffect(() => {
    let live = true;
    check(session).then(
      (self) => live && done.current(self),
      (e) => {
        if (!live) return;
        const failure = asApiError(e);
        if (failure.status === 401) done.current(undefined, 'Your key stopped working. Sign in again.');
        else if (failure.code === 'CLIENT' || failure.status === 403)
          done.current(undefined, failure.message);
        else setError(failure);
      },
    );
    return () => {
      live = false;
    };
  }, [session, attempt]);
  return (
    <main className="sign-in" aria-busy={error === undefined}>
      {error === undefined ? (
        <p className="muted">Signing in…</p>
      ) : (
        <div className="card sign-in-card">
          <ErrorBox error={error} title="Cannot reach the server:" />
          <div className="row">
            <button type="button" className="primary" onClick={() => setAttempt((n) => n + 1)}>
              Retry
            </button>
            <button type="button" onClick={() => done.current(undefined)}>
              Sign out
            </button>
          </div>
        </div>
      )}
    </main>
  );
}
