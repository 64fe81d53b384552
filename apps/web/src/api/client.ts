import type { ErrorBody } from '@glaze/core';

/** A failed API call, carrying the server's error code and the offending field's path. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const apiBase = '/api/v1';

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever a request comes back 401, so the app can show the sign-in form again. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * JSON request against /api/v1 with the session cookie. Throws ApiError for any non-2xx answer.
 * @example const { tables } = await api<{ tables: TableSummary[] }>('GET', '/tables');
 */
export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(apiBase + path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? safeParse(text) : undefined;
  if (!response.ok) throw toApiError(response.status, json, text);
  return json as T;
}

/** Turns an error body (`{"error":{"code","message","path"}}`) into an ApiError. */
export function toApiError(status: number, json: unknown, text: string): ApiError {
  if (status === 401) for (const listener of unauthorizedListeners) listener();
  // Any body may come back (a proxy's HTML page): read it as the API's error shape, field by field.
  const error = (json as Partial<ErrorBody> | undefined)?.error as Partial<ErrorBody['error']> | undefined;
  return new ApiError(
    status,
    error?.code ?? `http_${status}`,
    error?.message ?? (text.slice(0, 200) || `HTTP ${status}`),
    error?.path ?? undefined,
  );
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The message a person sees for any thrown value. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.path ? `${error.path}: ${error.message}` : error.message;
  return error instanceof Error ? error.message : String(error);
}
