import { useState } from 'react';
import type { RowQuery } from '../api/rows';
import { exportUrl } from '../api/tables';

/**
 * "Export CSV", with a "for Excel" option: a UTF-8 byte-order mark (without it Excel reads the
 * file as the local code page and mangles accented names) and CRLF line ends. While a search,
 * filter or sort is on (`query`), it exports those rows in that order, unless "all rows" is ticked.
 */
export function ExportCsvButton({ tableId, query }: { tableId: number; query?: RowQuery }) {
  const [excel, setExcel] = useState(false);
  const [all, setAll] = useState(false);
  const found = query && !all ? query : undefined;
  return (
    <span className="export-csv">
      <a
        className="button"
        href={exportUrl(tableId, { excel, ...(found ? { query: found } : {}) })}
        download
        data-testid="export-csv"
        title={found ? 'The rows found, in the order shown' : 'Every row of the table'}
      >
        {found?.filter || found?.q ? 'Export found rows' : 'Export CSV'}
      </a>
      {query && (
        <label className="muted" title="Export every row of the table, not only those found">
          <input type="checkbox" checked={all} onChange={(event) => setAll(event.target.checked)} /> all rows
        </label>
      )}
      <label className="muted" title="UTF-8 with a byte-order mark and CRLF line ends, as Excel expects">
        <input type="checkbox" checked={excel} onChange={(event) => setExcel(event.target.checked)} /> for
        Excel
      </label>
    </span>
  );
}
