import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useApi } from '../auth/auth-context.js';
import { ErrorBox, FieldIssues } from '../components/error-box.js';
import { useWorkspace } from '../components/workspace.js';

/** Every project, and a form for a new one (with development and production). */
export default function ProjectsPage() {
  const api = useApi();
  const ws = useWorkspace();
  const [, navigate] = useLocation();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const project = await api.projects.create({
        key: key.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
      });
      ws.reloadProjects();
      navigate(`/projects/${project.key}/flags`);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section aria-labelledby="projects-title">
      <div className="page-head">
        <h1 id="projects-title">Projects</h1>
      </div>
      <ul className="cards">
        {ws.projects.map((p) => (
          <li key={p.key} className="card">
            <h2>
              <Link href={`/projects/${p.key}/flags`}>{p.name || p.key}</Link>
            </h2>
            <p className="muted small">
              <code>{p.key}</code> {p.description}
            </p>
          </li>
        ))}
      </ul>
      {ws.project !== undefined && <EnvironmentsCard project={ws.project} />}
      <form className="card form" onSubmit={create} aria-labelledby="new-project-title">
        <h2 id="new-project-title">New project</h2>
        <p className="help">
          It gets the environments development and production; add more above once it is chosen.
        </p>
        <div className="row wrap">
          <div className="field">
            <label htmlFor="project-key">New project key</label>
            <input id="project-key" value={key} onChange={(e) => setKey(e.target.value)} required />
            <FieldIssues error={error} path="key" />
          </div>
          <div className="field grow">
            <label htmlFor="project-name">Name</label>
            <input id="project-name" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <button type="submit" className="primary">
            Create project
          </button>
        </div>
        <ErrorBox error={error} />
      </form>
    </section>
  );
}

/** The environments of the project in view, and a form for another one. */
function EnvironmentsCard({ project }: { project: string }) {
  const api = useApi();
  const ws = useWorkspace();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>();
  return (
    <section className="card" aria-labelledby="environments-title">
      <h2 id="environments-title">
        Environments of <code>{project}</code>
      </h2>
      <ul className="chips">
        {ws.environments.map((e) => (
          <li key={e.key} className="chip">
            {e.key}
          </li>
        ))}
      </ul>
      <form
        className="row"
        aria-label="New environment"
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            await api.projects.createEnvironment(project, { key: key.trim() });
            setKey('');
            setError(undefined);
            ws.reloadEnvironments();
          } catch (e) {
            setError(e);
          }
        }}
      >
        <label htmlFor="environment-key">New environment</label>
        <input
          id="environment-key"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder="staging"
          required
        />
        <button type="submit">Add environment</button>
      </form>
      <FieldIssues error={error} path="key" />
      <ErrorBox error={error} />
    </section>
  );
}
