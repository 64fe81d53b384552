import createClient, {
  type Client,
  type ClientOptions,
  type FetchOptions,
  type FetchResponse,
} from 'openapi-fetch';
import type { paths } from './generated/api.js';
import { operationRoutes } from './generated/operations.js';
import { GlazeError } from './glaze-error.js';
import { type SubscribeOptions, subscribe } from './subscribe.js';

type Routes = typeof operationRoutes;
export type OperationId = keyof Routes;
type Operation<K extends OperationId> = Extract<
  paths[Routes[K]['path']][Routes[K]['method']],
  Record<string, unknown>
>;
type Init<K extends OperationId> = FetchOptions<Operation<K>>;
type Data<K extends OperationId> = Exclude<
  FetchResponse<Operation<K>, Init<K>, `${string}/${string}`>['data'],
  undefined
>;
/** What an operation answers on success (`string` for CSV, null for a 204). */
export type OperationData<K extends OperationId> = [Data<K>] extends [never] ? undefined : Data<K>;

/**
 * One method per operationId: `init` (params, body) is optional when the operation needs none. The
 * event stream has none (a body that never ends): `subscribe()` reads it.
 */
export type GlazeMethods = {
  [K in OperationId as Routes[K] extends { produces: 'text/event-stream' } ? never : K]: (
    ...init: object extends Init<K> ? [init?: Init<K>] : [init: Init<K>]
  ) => Promise<OperationData<K>>;
};

export interface GlazeClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The server, e.g. `http://localhost:3000`; '' in a browser page served by Glaze. */
  baseUrl: string;
  /** An API token (`glaze token create`); without it a browser's session cookie is used. */
  token?: string;
}

export type GlazeClient = GlazeMethods & {
  /** The underlying openapi-fetch client, typed by path, for middleware and anything else. */
  raw: Client<paths>;
  /** Follows a table's changes, resuming with Last-Event-ID after a drop (see `subscribe`). */
  subscribe(tableId: number, options: SubscribeOptions): Promise<void>;
};

/**
 * A typed client of the Glaze API: a method per operation, named by its operationId
 * (`listTables`, `insertRows`, `importTable`…), resolving to the answer's body and throwing a
 * GlazeError (code, path, status) for any error status. CSV bodies are sent as text/csv and CSV
 * answers read as text.
 */
export function createGlazeClient(options: GlazeClientOptions): GlazeClient {
  const { token, ...clientOptions } = options;
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const raw = createClient<paths>({ ...clientOptions, headers: { ...auth, ...clientOptions.headers } });
  const stream = {
    baseUrl: options.baseUrl,
    headers: auth,
    credentials: options.credentials,
    fetch: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
  };
  const methods: Record<string, (init?: Record<string, unknown>) => Promise<unknown>> = {};
  for (const [name, route] of Object.entries(operationRoutes) as [string, Route][]) {
    if (route.produces === 'text/event-stream') continue;
    methods[name] = async (init = {}) => {
      const { data, error, response } = await raw.request(
        route.method as 'get',
        route.path as never,
        {
          ...(route.body
            ? { bodySerializer: (body: unknown) => body, headers: { 'content-type': route.body } }
            : {}),
          ...(route.produces ? { parseAs: 'text' } : {}),
          ...init,
        } as never,
      );
      if (!response.ok) throw await GlazeError.from(response, error);
      // The document says null for a 204 (no body); openapi-fetch gives undefined.
      return response.status === 204 ? null : data;
    };
  }
  return Object.assign(methods as unknown as GlazeMethods, {
    raw,
    subscribe: (tableId: number, subscribeOptions: SubscribeOptions) =>
      subscribe(stream, tableId, subscribeOptions),
  });
}

type Route = { method: string; path: string; body?: string; produces?: string };
