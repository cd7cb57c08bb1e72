import { FieldIssues } from './error-box.js';

/**
 * The key and description fields of a "new …" form (ids `<id>-key`, `<id>-description`), each with
 * the issues the server reported at `key` and `description`.
 */
export function KeyDescriptionFields({
  id,
  keyLabel,
  keyValue,
  onKey,
  keyPlaceholder,
  description,
  onDescription,
  descriptionPlaceholder,
  error,
}: {
  id: string;
  keyLabel: string;
  keyValue: string;
  onKey: (key: string) => void;
  keyPlaceholder?: string;
  description: string;
  onDescription: (description: string) => void;
  descriptionPlaceholder?: string;
  error: unknown;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-key`}>{keyLabel}</label>
        <input
          id={`${id}-key`}
          value={keyValue}
          onChange={(e) => onKey(e.target.value)}
          placeholder={keyPlaceholder}
          required
        />
        <FieldIssues error={error} path="key" />
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-description`}>Description</label>
        <input
          id={`${id}-description`}
          value={description}
          onChange={(e) => onDescription(e.target.value)}
          placeholder={descriptionPlaceholder}
        />
        <FieldIssues error={error} path="description" />
      </div>
    </>
  );
}
