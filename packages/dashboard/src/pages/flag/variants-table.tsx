import { useState } from 'react';
import { useApi } from '../../auth/auth-context.js';
import { ErrorBox } from '../../components/error-box.js';
import { formatValue, parseVariantValue, variantsOf } from '../../lib/flag.js';
import type { FlagSectionProps } from './flag-context.js';

/** The flag's variants: their values, edited in place; add and remove (what nothing serves). */
export function VariantsTable(props: FlagSectionProps) {
  const api = useApi();
  const { flag } = props;
  const variants = variantsOf(flag);
  const implicit = flag.variants === undefined;
  const [editing, setEditing] = useState<string | undefined>();
  const [draft, setDraft] = useState('');
  const [newName, setNewName] = useState('');
  const [newValue, setNewValue] = useState('');
  const [error, setError] = useState<unknown>();

  async function save(name: string, text: string) {
    let value: unknown;
    try {
      value = parseVariantValue(flag.type, text);
    } catch (e) {
      setError(new Error(`${name}: ${(e as Error).message}`));
      return false;
    }
    const failure = await props.write(
      (v) => api.flags.setVariant(props.project, flag.key, v, name, value),
      `Variant ${name} saved`,
    );
    setError(failure);
    return failure === undefined;
  }

  return (
    <div className="variants">
      <h3>Variants</h3>
      {implicit && (
        <p className="muted small">A boolean flag without variants serves on = true and off = false.</p>
      )}
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Value</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(variants).map(([name, value]) => (
            <tr key={name}>
              <td>
                <code>{name}</code>
              </td>
              <td>
                {editing === name ? (
                  <input
                    aria-label={`Value of ${name}`}
                    value={draft}
                    onChange={(e) => setDraft(e.target.value)}
                  />
                ) : (
                  <code>{formatValue(value)}</code>
                )}
              </td>
              <td className="actions">
                {editing === name ? (
                  <>
                    <button
                      type="button"
                      className="primary"
                      onClick={async () => (await save(name, draft)) && setEditing(undefined)}
                    >
                      Save
                    </button>
                    <button type="button" onClick={() => setEditing(undefined)}>
                      Cancel
                    </button>
                  </>
                ) : (
                  <>
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        setEditing(name);
                        setDraft(
                          typeof value === 'string' && flag.type === 'string' ? value : JSON.stringify(value),
                        );
                      }}
                    >
                      Edit
                    </button>
                    {!implicit && (
                      <button
                        type="button"
                        className="link danger-text"
                        onClick={async () =>
                          setError(
                            await props.write(
                              (v) => api.flags.removeVariant(props.project, flag.key, v, name),
                              `Variant ${name} removed`,
                            ),
                          )
                        }
                      >
                        Remove
                      </button>
                    )}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="row"
        aria-label="Add a variant"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await save(newName.trim(), newValue)) {
            setNewName('');
            setNewValue('');
          }
        }}
      >
        <input
          aria-label="New variant name"
          placeholder="name"
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
          required
        />
        <input
          aria-label="New variant value"
          placeholder={flag.type === 'boolean' ? 'true or false' : 'value'}
          value={newValue}
          onChange={(e) => setNewValue(e.target.value)}
        />
        <button type="submit">Add variant</button>
      </form>
      <ErrorBox error={error} />
    </div>
  );
}
