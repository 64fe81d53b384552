import type { ReactNode } from 'react';

/** A panel docked to the right of the grid; `wide` for charts. */
export function SidePanel(props: {
  title: string;
  onClose(): void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  return (
    <aside
      className={props.wide ? 'side-panel wide' : 'side-panel'}
      aria-label={props.title}
      data-testid={props.testId}
    >
      <header>
        <h3>{props.title}</h3>
        <button type="button" className="icon" aria-label="Close" onClick={props.onClose}>
          ×
        </button>
      </header>
      <div className="side-body">{props.children}</div>
    </aside>
  );
}
