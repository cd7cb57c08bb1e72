import { type ReactNode, useState } from 'react';

/** A button that asks "are you sure?" in place before it acts (no modal, keyboard-friendly). */
export function ConfirmButton(props: {
  children: ReactNode;
  question: string;
  confirmLabel?: string;
  onConfirm: () => void | Promise<void>;
  className?: string;
  disabled?: boolean;
  label?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={props.className}
        disabled={props.disabled}
        aria-label={props.label}
        onClick={() => setAsking(true)}
      >
        {props.children}
      </button>
    );
  }
  return (
    <fieldset className="confirm" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        type="button"
        className="danger"
        // biome-ignore lint/a11y/noAutofocus: the question appears where the button was; focus follows
        autoFocus
        onClick={async () => {
          setAsking(false);
          await props.onConfirm();
        }}
      >
        {props.confirmLabel ?? 'Yes'}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </fieldset>
  );
}
