import type { Api, ServerContext } from '../context';
import type { SseStream } from '../sse/sse-stream';
import { columnRoutes } from './columns';
import { csvRoutes } from './csv';
import { eventRoutes } from './events';
import { providerRoutes } from './providers';
import { rowRoutes } from './rows';
import { runRoutes } from './runs';
import { secretRoutes } from './secrets';
import { sessionRoutes } from './session';
import { tableRoutes } from './tables';
import { viewRoutes } from './views';

/** Every route under /api/v1 (the caller has already required a token). */
export async function apiRoutes(api: Api, ctx: ServerContext, streams: Set<SseStream>): Promise<void> {
  sessionRoutes(api, ctx);
  tableRoutes(api, ctx);
  rowRoutes(api, ctx);
  columnRoutes(api, ctx);
  viewRoutes(api, ctx);
  runRoutes(api, ctx);
  providerRoutes(api, ctx);
  secretRoutes(api, ctx);
  eventRoutes(api, ctx, streams);
  // Its own scope: it parses text/csv (streamed) and nothing else.
  await api.register(async (scope) => csvRoutes(scope as unknown as Api, ctx));
}
