import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type Operation = { responses?: Record<string, { description?: string; headers?: object }> };
type Document = {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
};

/** What each error status means on every route that lists it (the body is always the Error schema). */
const errorDescriptions: Record<string, string> = {
  400: '`bad_request`, `invalid_json` or `validation_failed`: `path` names the field and `message` what was wrong',
  401: '`unauthorized`: no token or session, or one that is no longer valid',
  403: '`forbidden`: a cross-origin request carrying the session cookie (send `Authorization: Bearer <token>`)',
  404: '`not_found`: the URL names nothing in this workspace',
  409: '`conflict`: the name is already taken by another column or view of the table',
  413: '`payload_too_large`: the body is over the limit (GLAZE_BODY_LIMIT for JSON, GLAZE_CSV_LIMIT for CSV)',
  415: '`unsupported_media_type`: the body is not of the content type this operation reads',
  429: '`rate_limited`: too many failed sign-ins from this address; retry after `Retry-After` seconds',
  500: '`internal`: a bug; the server logged it',
};

/**
 * The whole document once every route is in: zod's shared schemas as components, a description
 * for each error status, `Retry-After` on 429 and 503, and no component that nothing refers to
 * (zod registers an input and an output copy of each; most routes use only one).
 */
export function finishDocument(
  input: Parameters<typeof jsonSchemaTransformObject>[0],
  options: { retryAfterSeconds: number },
) {
  const document = jsonSchemaTransformObject(input) as Document;
  const retryAfter = {
    'Retry-After': {
      description: `Seconds to wait before retrying (${options.retryAfterSeconds} for a 503)`,
      schema: { type: 'integer' },
    },
  };
  for (const operation of Object.values(document.paths ?? {}).flatMap((item) => Object.values(item))) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const described = errorDescriptions[status];
      if (described && response.description === 'Default Response') response.description = described;
      if (status === '429' || status === '503') response.headers = retryAfter;
    }
  }
  pruneUnusedSchemas(document);
  return document as ReturnType<typeof jsonSchemaTransformObject>;
}

/** Drops component schemas no path reaches, directly or through other components. */
function pruneUnusedSchemas(document: Document): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')) {
        const name = inner.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(inner);
    }
  };
  visit(document.paths);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}
