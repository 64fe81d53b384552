import { type ReactNode, useRef } from 'react';

/**
 * A button that opens the file chooser for one CSV file. The input is cleared after each choice,
 * so choosing the same file again (after fixing it) still fires.
 */
export function CsvFileInput(props: {
  children: ReactNode;
  disabled?: boolean;
  /** For the e2e tests, which set the file on the hidden input. */
  testId: string;
  onFile(file: File): void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} disabled={props.disabled}>
        {props.children}
      </button>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        hidden
        data-testid={props.testId}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) props.onFile(file);
        }}
      />
    </>
  );
}
