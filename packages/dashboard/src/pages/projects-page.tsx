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
      <form className="card form row wrap" onSubmit={create} aria-label="New project">
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
        <ErrorBox error={error} />
      </form>
    </section>
  );
}
