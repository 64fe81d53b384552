import { type DragEvent, useState } from 'react';
import { errorText } from '../api/client';
import { type UploadProgress, uploadCsv } from '../api/upload-csv';
import { CsvFileInput } from '../ui/csv-file-input';
import { formatBytes, formatCount } from '../ui/format';
import { ProgressBar } from '../ui/progress-bar';
import { tableHref } from '../use-hash-route';

type State =
  | { step: 'idle' }
  | { step: 'uploading'; file: string; progress: UploadProgress; abort(): void }
  | { step: 'failed'; message: string };

/** Import a CSV by choosing or dropping a file; shows upload progress, then opens the new table. */
export function ImportDropZone({ onImported }: { onImported(): void }) {
  const [state, setState] = useState<State>({ step: 'idle' });
  const [over, setOver] = useState(false);

  const start = async (file: File) => {
    const name = file.name.replace(/\.csv$/i, '') || 'Imported';
    const upload = uploadCsv(file, { name }, (progress) =>
      setState({ step: 'uploading', file: file.name, progress, abort: upload.abort }),
    );
    setState({
      step: 'uploading',
      file: file.name,
      progress: { loaded: 0, total: file.size },
      abort: upload.abort,
    });
    try {
      const { table } = await upload.done;
      setState({ step: 'idle' });
      onImported();
      window.location.hash = tableHref(table.id);
    } catch (thrown) {
      setState({ step: 'failed', message: errorText(thrown) });
    }
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void start(file);
  };

  return (
    <section
      className={`card drop-zone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      aria-label="Import a CSV"
    >
      <h3>Import CSV</h3>
      {state.step === 'uploading' ? (
        <div className="upload">
          <p>
            Uploading {state.file}: {formatBytes(state.progress.loaded)} of{' '}
            {formatBytes(state.progress.total)}
            {state.progress.loaded >= state.progress.total && ' — importing rows…'}
          </p>
          <ProgressBar value={state.progress.loaded} max={state.progress.total} label="Upload progress" />
          <button type="button" className="small" onClick={state.abort}>
            Cancel
          </button>
        </div>
      ) : (
        <>
          <p className="muted">Drop a .csv file here (up to {formatCount(100_000)} rows), or</p>
          <CsvFileInput testId="csv-input" onFile={(file) => void start(file)}>
            Choose file…
          </CsvFileInput>
          {state.step === 'failed' && <p className="field-error">{state.message}</p>}
        </>
      )}
    </section>
  );
}
