import { useEffect, useRef, useState } from 'react';

/** Waits this long after the last keystroke: one query per pause, not one per letter. */
const debounceMs = 250;

/** The toolbar's search: rows whose input values contain the text, ignoring case and accents. */
export function SearchBox({ value, onSearch }: { value: string; onSearch(text: string): void }) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const sent = useRef(value);
  // Follows the value only when it changed elsewhere: our own answer must not undo newer keystrokes.
  useEffect(() => {
    if (value !== sent.current) setText(value);
    sent.current = value;
  }, [value]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const change = (next: string) => {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(
      () => {
        sent.current = next;
        onSearch(next);
      },
      next === '' ? 0 : debounceMs,
    );
  };

  return (
    <span className="search-box">
      <input
        type="search"
        aria-label="Search rows"
        placeholder="Search rows…"
        value={text}
        onChange={(event) => change(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && change('')}
      />
    </span>
  );
}
