import { useState } from 'react';
import { exportUrl } from '../api/tables';

/**
 * "Export CSV", with a "for Excel" option: a UTF-8 byte-order mark (without it Excel reads the
 * file as the local code page and mangles accented names) and CRLF line ends.
 */
export function ExportCsvButton({ tableId }: { tableId: number }) {
  const [excel, setExcel] = useState(false);
  return (
    <span className="export-csv">
      <a className="button" href={exportUrl(tableId, { excel })} download>
        Export CSV
      </a>
      <label className="muted" title="UTF-8 with a byte-order mark and CRLF line ends, as Excel expects">
        <input type="checkbox" checked={excel} onChange={(event) => setExcel(event.target.checked)} /> for
        Excel
      </label>
    </span>
  );
}
