import { Link } from 'wouter';
import { useWorkspace } from './workspace.js';

/** A weight table's name (a rollout's or an experiment's `weightedBy`), linking to its page. */
export function WeightTableLink({ table }: { table: string }) {
  const { project } = useWorkspace();
  if (project === undefined) return <code>{table}</code>;
  return (
    <Link
      href={`/projects/${encodeURIComponent(project)}/subject-weights/${encodeURIComponent(table)}`}
      title={`Weight table ${table}: its subjects and how its weight is spread`}
    >
      <code>{table}</code>
    </Link>
  );
}
