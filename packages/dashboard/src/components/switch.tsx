/** An on/off switch (a button with role="switch"), labelled for screen readers. */
export function Switch(props: {
  checked: boolean;
  label: string;
  onChange: (next: boolean) => void;
  disabled?: boolean;
  showText?: boolean;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={props.checked}
      aria-label={props.label}
      disabled={props.disabled}
      className={`switch ${props.checked ? 'on' : 'off'}`}
      onClick={() => props.onChange(!props.checked)}
    >
      <span className="switch-knob" aria-hidden="true" />
      {props.showText !== false && <span className="switch-text">{props.checked ? 'On' : 'Off'}</span>}
    </button>
  );
}
