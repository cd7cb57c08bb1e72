import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useAuth } from '../auth/auth-context.js';
import { useWorkspace } from './workspace.js';

function NavLink({ href, children, exact }: { href: string; children: ReactNode; exact?: boolean }) {
  const [location] = useLocation();
  const current = location === href || (exact !== true && location.startsWith(`${href}/`));
  return (
    <Link
      href={href}
      className={current ? 'nav-link current' : 'nav-link'}
      aria-current={current ? 'page' : undefined}
    >
      {children}
    </Link>
  );
}

/** Header (brand, project and environment switchers, who is signed in), navigation and the page. */
export function Layout({ children }: { children: ReactNode }) {
  const { self, signOut } = useAuth();
  const ws = useWorkspace();
  const [location, navigate] = useLocation();
  const base = ws.project === undefined ? undefined : `/projects/${encodeURIComponent(ws.project)}`;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Vexil
        </Link>
        <div className="switchers">
          <label className="switcher">
            <span>Project</span>
            <select
              value={ws.project ?? ''}
              onChange={(e) => {
                const rest =
                  base !== undefined && location.startsWith(base) ? location.slice(base.length) : '/flags';
                const section = /^\/[^/]+/.exec(rest)?.[0] ?? '/flags';
                navigate(`/projects/${encodeURIComponent(e.target.value)}${section}`);
              }}
            >
              {ws.projects.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name !== '' && p.name !== p.key ? `${p.name} (${p.key})` : p.key}
                </option>
              ))}
            </select>
          </label>
          <label className="switcher">
            <span>Environment</span>
            <select
              value={ws.environment ?? ''}
              onChange={(e) => ws.setEnvironment(e.target.value)}
              data-testid="environment-switcher"
            >
              {ws.environments.map((env) => (
                <option key={env.key} value={env.key}>
                  {env.name !== '' && env.name !== env.key ? env.name : env.key}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="who">
          <span title={`key ${self.id}`}>
            {self.actor.includes(' via ') ? self.actor.split(' via ')[0] : self.name}
          </span>
          <button type="button" className="link" onClick={() => signOut('Signed out.')}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Sections">
        {base !== undefined && (
          <>
            <NavLink href={`${base}/flags`}>Flags</NavLink>
            <NavLink href={`${base}/segments`}>Segments</NavLink>
            <NavLink href={`${base}/subject-weights`}>Subject weights</NavLink>
            <NavLink href={`${base}/experiments`}>Experiments</NavLink>
            <NavLink href={`${base}/preview`}>Try it (preview)</NavLink>
          </>
        )}
        <hr />
        <NavLink href="/audit">Audit log</NavLink>
        <NavLink href="/keys">API keys</NavLink>
        <NavLink href="/projects" exact>
          Projects
        </NavLink>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
