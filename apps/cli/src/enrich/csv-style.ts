import { open } from 'node:fs/promises';
import type { LineEnd } from '@glaze/engine';

export interface CsvStyle {
  /** The file starts with a UTF-8 byte-order mark: the output gets one too (Excel needs it). */
  bom: boolean;
  /** The header line's end, used for every record of the output. */
  lineEnd: LineEnd;
}

/**
 * How the input file writes its BOM and line ends, read from its first 64 KiB, so the enriched
 * CSV opens the way the input did (values themselves always come back byte for byte).
 */
export async function readCsvStyle(file: string): Promise<CsvStyle> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(65_536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const newline = bytes.indexOf(0x0a);
    return { bom, lineEnd: newline > 0 && bytes[newline - 1] === 0x0d ? '\r\n' : '\n' };
  } finally {
    await handle.close();
  }
}
