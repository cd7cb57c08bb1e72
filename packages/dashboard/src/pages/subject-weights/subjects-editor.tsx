import { type KeyboardEvent, useMemo, useState } from 'react';
import { formatIssuePath } from '../../api/errors.js';
import { FieldIssues } from '../../components/error-box.js';
import { Pager } from '../../components/pager.js';
import { SearchFilter } from '../../components/search-filter.js';
import { useToast } from '../../components/toasts.js';
import {
  findSubjects,
  formatCount,
  formatShare,
  parsePastedWeights,
  rankSubjects,
  type Subject,
  type SubjectRow,
  subjectRows,
  type WeightChanges,
  weightValue,
} from '../../lib/subject-weights.js';

const PAGE = 100;

interface Props {
  /** The saved subjects, heaviest first. */
  readonly sorted: readonly Subject[];
  readonly savedWeights: Readonly<Record<string, number>>;
  readonly changes: WeightChanges;
  onChange(changes: WeightChanges): void;
  /** The total weight once the changes are saved: each row's share is of it. */
  readonly total: number;
  readonly error: unknown;
}

/**
 * The subjects of a table, heaviest first, each with its weight to change, its share and a
 * remove button; a row to add one and a box to paste many. Edits are kept as changes until saved.
 */
export function SubjectsEditor({ sorted, savedWeights, changes, onChange, total, error }: Props) {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  // Once per saved version (and search): a keystroke in a weight costs the page, not the table.
  const ranked = useMemo(() => rankSubjects(sorted), [sorted]);
  const matching = useMemo(() => findSubjects(ranked, search), [ranked, search]);
  const { rows: page, total: shown } = subjectRows(matching, savedWeights, changes, {
    search,
    offset,
    limit: PAGE,
  });
  const set = (subject: string, value: string | null) => onChange(new Map(changes).set(subject, value));
  const drop = (subject: string) => {
    const next = new Map(changes);
    next.delete(subject);
    onChange(next);
  };

  return (
    <div className="subjects-editor">
      <SearchFilter
        label="Find a subject"
        value={search}
        onSearch={(next) => {
          setSearch(next);
          setOffset(0);
        }}
      />
      <AddSubject onAdd={(subject, weight) => set(subject, weight)} />
      <PasteSubjects sorted={sorted} changes={changes} onChange={onChange} />
      <table className="table compact" aria-label="Subjects">
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Subject</th>
            <th scope="col">Weight</th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {page.map((row) => (
            <Row key={row.subject} row={row} total={total} error={error} set={set} drop={drop} />
          ))}
          {shown === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                {search.trim() === '' ? 'No subjects yet: add one or paste many.' : 'No subject matches.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <Pager offset={offset} limit={PAGE} total={shown} onChange={setOffset} />
    </div>
  );
}

function Row(props: {
  row: SubjectRow;
  total: number;
  error: unknown;
  set: (subject: string, value: string | null) => void;
  drop: (subject: string) => void;
}) {
  const { subject, saved, value, rank } = props.row;
  const weight = value === null ? undefined : weightValue(value);
  const state =
    value === null ? 'removed' : saved === undefined ? 'added' : weight !== saved ? 'changed' : undefined;
  return (
    <tr className={state === undefined ? undefined : `subject-${state}`} data-subject={subject}>
      <td className="num muted">{rank ?? 'new'}</td>
      <td>
        <code>{subject}</code>
        {state !== undefined && <span className="badge muted-badge">{state}</span>}
      </td>
      <td>
        {value === null ? (
          <span className="muted">{saved === undefined ? '' : formatCount(saved)}</span>
        ) : (
          <input
            className="weight-input"
            aria-label={`Weight of ${subject}`}
            inputMode="numeric"
            value={value}
            onChange={(e) => props.set(subject, e.target.value)}
          />
        )}
        <FieldIssues error={props.error} path={formatIssuePath(['weights', subject])} exact />
      </td>
      <td className="num">
        {typeof weight === 'number' && weight > 0 && props.total > 0
          ? formatShare(weight / props.total)
          : '—'}
      </td>
      <td className="actions">
        {value === null ? (
          <button type="button" className="link" onClick={() => props.drop(subject)}>
            Keep {subject}
          </button>
        ) : (
          <button
            type="button"
            className="link danger-text"
            aria-label={`Remove ${subject}`}
            onClick={() => (saved === undefined ? props.drop(subject) : props.set(subject, null))}
          >
            Remove
          </button>
        )}
      </td>
    </tr>
  );
}

/** A subject and its weight, added (or, for a subject the table has, changed) on Enter or the button. */
function AddSubject({ onAdd }: { onAdd: (subject: string, weight: string) => void }) {
  const [subject, setSubject] = useState('');
  const [weight, setWeight] = useState('');
  const add = () => {
    if (subject.trim() === '') return;
    onAdd(subject.trim(), weight.trim());
    setSubject('');
    setWeight('');
  };
  const onEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    }
  };
  return (
    <fieldset className="row wrap add-subject">
      <legend className="sr-only">Add a subject</legend>
      <input
        aria-label="New subject"
        placeholder="subject (e.g. an account id)"
        value={subject}
        onChange={(e) => setSubject(e.target.value)}
        onKeyDown={onEnter}
      />
      <input
        className="weight-input"
        aria-label="Weight of the new subject"
        placeholder="weight"
        inputMode="numeric"
        value={weight}
        onChange={(e) => setWeight(e.target.value)}
        onKeyDown={onEnter}
      />
      <button type="button" onClick={add} disabled={subject.trim() === ''}>
        Add subject
      </button>
    </fieldset>
  );
}

/** Many subjects at once, as `subject,weight` lines or JSON: added to the table, or replacing its subjects. */
function PasteSubjects(props: {
  sorted: readonly Subject[];
  changes: WeightChanges;
  onChange(changes: WeightChanges): void;
}) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} aria-expanded={false}>
        Paste many…
      </button>
    );
  }
  const apply = (replace: boolean) => {
    const pasted = parsePastedWeights(text);
    if (!pasted.ok) {
      setProblem(pasted.message);
      return;
    }
    const next = new Map(replace ? [] : props.changes);
    if (replace)
      for (const { subject } of props.sorted) if (!pasted.weights.has(subject)) next.set(subject, null);
    for (const [subject, weight] of pasted.weights) next.set(subject, weight);
    props.onChange(next);
    toast.show(
      `Read ${formatCount(pasted.weights.size)} subject(s)${
        pasted.repeated > 0 ? ` (${pasted.repeated} given twice: the last weight counts)` : ''
      }${replace ? '; the others are marked for removal' : ''}. Save to keep them.`,
      'info',
    );
    setText('');
    setProblem(undefined);
    setOpen(false);
  };
  return (
    <fieldset className="paste-subjects">
      <legend>Paste subjects</legend>
      <p className="help">
        One <code>subject,weight</code> per line (a comma, semicolon or tab between; a header line is
        skipped), or JSON: <code>{'{ "acme": 5000, "globex": 40 }'}</code>.
      </p>
      <textarea
        aria-label="Subjects to paste"
        className="code"
        rows={6}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {problem !== undefined && (
        <div className="field-issues" role="alert">
          {problem}
        </div>
      )}
      <div className="row wrap">
        <button type="button" onClick={() => apply(false)}>
          Add or update these
        </button>
        <button type="button" onClick={() => apply(true)}>
          Replace all subjects
        </button>
        <button type="button" className="link" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
