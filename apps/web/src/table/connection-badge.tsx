import type { ConnectionStatus } from '@glaze/react';

const labels: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  deleted: 'Table deleted',
};

/** The realtime stream's state, as a dot and a word (the word carries it without colour). */
export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  return (
    <span className={`connection ${status}`} data-status={status} title="Realtime updates">
      <span className="dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
