import { useState } from 'react';
import { errorText } from '../api/client';
import { uploadCsv } from '../api/upload-csv';
import { CsvFileInput } from '../ui/csv-file-input';
import { formatCount } from '../ui/format';

/** Appends a CSV's rows to this table (headers must name its input columns), with upload progress. */
export function AppendCsvButton({ tableId, onAppended }: { tableId: number; onAppended(): void }) {
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
      <CsvFileInput
        testId="append-csv-input"
        disabled={progress !== undefined}
        onFile={(file) => void append(file)}
      >
        {progress === undefined
          ? 'Append CSV'
          : progress < 1
            ? `Uploading ${Math.round(progress * 100)}%`
            : 'Importing…'}
      </CsvFileInput>
      {message && (
        <span className={message.error ? 'field-error' : 'muted'} role="status">
          {message.text}
        </span>
      )}
    </>
  );
}
