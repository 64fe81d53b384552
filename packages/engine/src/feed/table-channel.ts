const prefix = 'glaze_table_';

/** The NOTIFY channel of a table's changes; SQL writers notify it through glaze_notify_table (migration 017). */
export function tableChannel(tableId: number): string {
  return `${prefix}${tableId}`;
}

/** The table a channel belongs to, or undefined for a channel that is not a table's. */
export function channelTable(channel: string): number | undefined {
  if (!channel.startsWith(prefix)) return undefined;
  const id = Number(channel.slice(prefix.length));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
