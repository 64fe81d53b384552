import { type KeyboardEvent, useLayoutEffect, useRef, useState } from 'react';
import { applyCompletion, type Completion, templateCompletion } from './template-completion';

interface Props {
  id: string;
  value: string;
  columnNames: readonly string[];
  onChange(value: string): void;
  invalid?: boolean;
}

/** A template field: typing `{{` offers the table's column names (arrows + Enter/Tab, or click). */
export function TemplateInput({ id, value, columnNames, onChange, invalid }: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [completion, setCompletion] = useState<Completion>();
  const [active, setActive] = useState(0);
  // Where the caret goes once a chosen completion is in the textarea. Placed in the same commit
  // that renders the new value: placed a frame later, it moved the caret back behind whatever the
  // user had typed since (typing "{{na", Enter, " at" gave "{{name}}at ").
  const pendingCaret = useRef<number>();
  useLayoutEffect(() => {
    const input = ref.current;
    if (pendingCaret.current === undefined || !input) return;
    input.focus();
    input.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = undefined;
  });

  const refresh = (text: string, caret: number) => {
    setCompletion(templateCompletion(text, caret, columnNames));
    setActive(0);
  };

  const choose = (name: string) => {
    const input = ref.current;
    if (!input || !completion) return;
    const next = applyCompletion(value, input.selectionStart, completion, name);
    pendingCaret.current = next.caret;
    onChange(next.text);
    setCompletion(undefined);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!completion) return;
    const count = completion.options.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      const option = completion.options[active];
      if (option) choose(option);
    } else if (event.key === 'Escape') {
      setCompletion(undefined);
    }
  };

  return (
    <div className="template-input">
      <textarea
        ref={ref}
        id={id}
        rows={Math.min(6, Math.max(1, value.split('\n').length))}
        value={value}
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-autocomplete="list"
        onChange={(e) => {
          onChange(e.target.value);
          refresh(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onClick={(e) => refresh(value, e.currentTarget.selectionStart)}
        onBlur={() => setTimeout(() => setCompletion(undefined), 150)}
      />
      {completion && (
        <div className="completions" role="listbox">
          {completion.options.map((name, index) => (
            <div
              key={name}
              role="option"
              tabIndex={-1}
              aria-selected={index === active}
              className={index === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(name);
              }}
            >
              {name}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
