/** Bodies above this are refused: an enrichment answer is kilobytes, and a cell value lives in a jsonb column. */
export const maxResponseBytes = 5 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
  constructor() {
    super(`response is larger than ${maxResponseBytes / 1024 / 1024} MB`);
    this.name = 'ResponseTooLargeError';
  }
}

/** The body as text, read in chunks so a huge or endless body stops at `maxResponseBytes`. */
export async function readText(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxResponseBytes) {
      await reader.cancel();
      throw new ResponseTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The most useful human message in an error body: `error.message`, `message`, `detail`… or the text itself. */
export function errorMessageOf(body: string): string {
  try {
    const json: unknown = JSON.parse(body);
    const found = [
      ['error', 'message'],
      ['message'],
      ['error'],
      ['detail'],
      ['title'],
      ['errors', 0, 'message'],
    ]
      .map((path) =>
        path.reduce<unknown>(
          (v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
          json,
        ),
      )
      .find((v) => typeof v === 'string' && v !== '');
    if (typeof found === 'string') return truncate(found);
  } catch {
    // not JSON: fall through to the text
  }
  return truncate(body.replace(/\s+/g, ' ').trim());
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
