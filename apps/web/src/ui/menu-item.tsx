/** One entry of a dropdown menu (`.menu`); with `checked`, one of a set to choose from. */
export function MenuItem(props: {
  label: string;
  checked?: boolean;
  onClick(): void;
  disabled?: boolean;
  danger?: boolean;
}) {
  const common = {
    type: 'button',
    className: props.danger ? 'danger' : undefined,
    disabled: props.disabled,
    onClick: props.onClick,
  } as const;
  return props.checked === undefined ? (
    <button {...common} role="menuitem">
      {props.label}
    </button>
  ) : (
    <button {...common} role="menuitemradio" aria-checked={props.checked}>
      {props.label}
    </button>
  );
}
