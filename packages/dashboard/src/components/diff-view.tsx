import { useMemo } from 'react';
import { diffJson } from '../lib/diff.js';

/** A line diff of two JSON values (keys sorted), unchanged stretches folded. */
export function DiffView({ before, after, label }: { before: unknown; after: unknown; label: string }) {
  const lines = useMemo(() => diffJson(before, after), [before, after]);
  const changed = lines.some((l) => l.kind === 'add' || l.kind === 'del');
  return (
    <figure className="diff" aria-label={label}>
      <figcaption className="sr-only">{label}</figcaption>
      {!changed && <p className="muted">No differences.</p>}
      {changed && (
        <pre className="diff-lines">
          {lines.map((line, i) =>
            line.kind === 'skip' ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: a diff is rendered whole; its lines never move
              <div key={i} className="diff-skip">
                ⋯ {line.count} unchanged line{line.count === 1 ? '' : 's'}
              </div>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: a diff is rendered whole; its lines never move
              <div key={i} className={`diff-${line.kind}`}>
                <span className="diff-sign" aria-hidden="true">
                  {line.kind === 'add' ? '+' : line.kind === 'del' ? '−' : ' '}
                </span>
                {line.kind !== 'same' && (
                  <span className="sr-only">{line.kind === 'add' ? 'added: ' : 'removed: '}</span>
                )}
                {line.text}
              </div>
            ),
          )}
        </pre>
      )}
    </figure>
  );
}
