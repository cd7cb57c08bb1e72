import { ApiError, asApiError, issuesAt } from '../api/errors.js';
import type { Issue } from '../api/types.js';

/** An API error as a banner: its message and every issue with its path. */
export function ErrorBox({
  error,
  title,
  issues,
}: {
  error: unknown;
  title?: string;
  issues?: readonly Issue[];
}) {
  if (error === undefined || error === null) return null;
  const e = asApiError(error);
  const list = issues ?? e.issues;
  return (
    <div className="error-box" role="alert">
      <strong>{title ?? errorTitle(e)}</strong> {e.message}
      {list.length > 0 && (
        <ul className="issues">
          {list.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path !== '' && <code className="issue-path">{issue.path}</code>} {issue.message}
            </li>
          ))}
        </ul>
      )}
      {e.requestId !== undefined && <div className="muted small">request id {e.requestId}</div>}
    </div>
  );
}

function errorTitle(e: ApiError): string {
  switch (e.code) {
    case 'VALIDATION_FAILED':
    case 'INVALID_FLAG_SET':
      return 'Not saved:';
    case 'VERSION_CONFLICT':
      return 'Changed meanwhile:';
    case 'NOT_FOUND':
      return 'Not found:';
    case 'NETWORK':
      return 'Offline?';
    case 'CLIENT':
      return 'Error:';
    default:
      return `${e.code}:`;
  }
}

/** The issues for one field, shown under it (give the same id to the field's aria-describedby). */
export function FieldIssues({
  error,
  path,
  id,
  exact,
}: {
  error: unknown;
  path: string;
  id?: string;
  exact?: boolean;
}) {
  const issues = issuesAt(error, path, exact ?? false);
  if (issues.length === 0) return null;
  return (
    <div className="field-issues" id={id} role="alert">
      {issues.map((issue) => (
        <div key={`${issue.path}:${issue.message}`}>
          {issue.path !== path && <code className="issue-path">{issue.path}</code>} {issue.message}
        </div>
      ))}
    </div>
  );
}

export { ApiError };
