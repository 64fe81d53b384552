import type { RowQueryPage } from '@glaze/core';
import { formatCount } from '../ui/format';

/** "12 of 300 rows" while a search or filter is active; "about 41,000 of 1,000,000" past exact counts. */
export function MatchCount({ matched, total }: { matched: RowQueryPage['matched']; total: number }) {
  if (!matched)
    return (
      <span className="muted match-count" data-testid="match-count">
        counting… of {formatCount(total)} rows
      </span>
    );
  const about = matched.exact ? '' : 'about ';
  return (
    <span className="muted match-count" data-testid="match-count">
      {about}
      {formatCount(matched.count)} of {formatCount(total)} rows
    </span>
  );
}
