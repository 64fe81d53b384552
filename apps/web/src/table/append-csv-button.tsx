import { useRef, useState } from 'react';
import { errorText } from '../api/client';
import { uploadCsv } from '../api/upload-csv';
import { formatCount } from '../ui/format';

/** Appends a CSV's rows to this table (headers must name its input columns), with upload progress. */
export function AppendCsvButton({ tableId, onAppended }: { tableId: number; onAppended(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number>();
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();

  const append = async (file: File) => {
    setMessage(undefined);
    setProgress(0);
    const upload = uploadCsv(file, { tableId }, ({ loaded, total }) =>
      setProgress(total ? loaded / total : 0),
    );
    try {
      const { rows } = await upload.done;
      setMessage({ text: `Added ${formatCount(rows)} ${rows === 1 ? 'row' : 'rows'}` });
      onAppended();
    } catch (thrown) {
      setMessage({ text: errorText(thrown), error: true });
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <>
      <button type="button" onClick={() => input.current?.click()} disabled={progress !== undefined}>
        {progress === undefined
          ? 'Append CSV'
          : progress < 1
            ? `Uploading ${Math.round(progress * 100)}%`
            : 'Importing…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        hidden
        data-testid="append-csv-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void append(file);
        }}
      />
      {message && (
        <span className={message.error ? 'field-error' : 'muted'} role="status">
          {message.text}
        </span>
      )}
    </>
  );
}
