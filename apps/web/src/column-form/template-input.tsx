import { type KeyboardEvent, useRef, useState } from 'react';
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

  const refresh = (text: string, caret: number) => {
    setCompletion(templateCompletion(text, caret, columnNames));
    setActive(0);
  };

  const choose = (name: string) => {
    const input = ref.current;
    if (!input || !completion) return;
    const next = applyCompletion(value, input.selectionStart, completion, name);
    onChange(next.text);
    setCompletion(undefined);
    requestAnimationFrame(() => {
      input.focus();
      input.setSelectionRange(next.caret, next.caret);
    });
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
