import { useMemo, useRef } from 'react';
import type { Issue } from '../api/types.js';
import { locatePath } from '../lib/json-locate.js';

/**
 * A JSON text area with line numbers; lines with an issue are marked, and each issue links
 * to its place in the text.
 */
export function JsonEditor(props: {
  id: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  issues: readonly Issue[];
  /** Prefix the issue paths carry before the text's own paths (e.g. `rule`). */
  rows?: number;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = props.value.split('\n').length;
  const located = useMemo(
    () => props.issues.map((issue) => ({ issue, at: locatePath(props.value, issue.path) })),
    [props.issues, props.value],
  );
  const errorLines = new Set(located.flatMap((l) => (l.at === undefined ? [] : [l.at.line])));

  function jump(offset: number, length: number) {
    const el = area.current;
    if (el === null) return;
    el.focus();
    el.setSelectionRange(offset, offset + length);
    const line = props.value.slice(0, offset).split('\n').length;
    el.scrollTop = Math.max(0, (line - 3) * 20);
  }

  return (
    <div className="json-editor">
      <label htmlFor={props.id}>{props.label}</label>
      <div className="json-frame">
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: line numbers are their own identity
            <div key={i} className={errorLines.has(i + 1) ? 'gutter-line error-line' : 'gutter-line'}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          id={props.id}
          ref={area}
          value={props.value}
          rows={props.rows ?? 24}
          spellCheck={false}
          wrap="off"
          aria-invalid={props.issues.length > 0}
          aria-describedby={`${props.id}-issues`}
          onChange={(e) => props.onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current !== null) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onKeyDown={(e) => {
            // Tab indents (two spaces) instead of leaving the field; Escape then Tab leaves.
            if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
              const el = e.currentTarget;
              if (el.dataset.escaped === 'true') return;
              e.preventDefault();
              const { selectionStart: s, selectionEnd: end } = el;
              const next = `${props.value.slice(0, s)}  ${props.value.slice(end)}`;
              props.onChange(next);
              requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
            }
            e.currentTarget.dataset.escaped = e.key === 'Escape' ? 'true' : 'false';
          }}
        />
      </div>
      <div id={`${props.id}-issues`} role={props.issues.length > 0 ? 'alert' : undefined}>
        {located.length > 0 && (
          <ul className="issues json-issues">
            {located.map(({ issue, at }) => (
              <li key={`${issue.path}:${issue.message}`}>
                {at === undefined ? (
                  <code className="issue-path">{issue.path || '(the whole document)'}</code>
                ) : (
                  <button
                    type="button"
                    className="link issue-path"
                    onClick={() => jump(at.offset, at.length)}
                    title="Show it in the text"
                  >
                    {issue.path || '(the whole document)'} · line {at.line}
                  </button>
                )}{' '}
                {issue.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <p className="help">Tab indents; press Escape, then Tab, to leave the editor.</p>
    </div>
  );
}
