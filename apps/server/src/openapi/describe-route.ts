import type { SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

const errorRef = { $ref: '#/components/schemas/Error' };
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One route's entry in the OpenAPI document: its zod schemas as JSON Schema, then what the server's
 * own hooks add to every route, which no route schema repeats: a 403 on unsafe methods (the CSRF
 * check runs on every one, public ones too), a 429 where a credential is checked (the failed-auth
 * limit), a 413 and 415 where a body is read (size limit, one media type per scope), and a 500.
 * A route declares `consumes: ['text/csv']` for a body it streams itself (no schema to validate).
 * An operationId is required: the client's method names are made from them.
 */
export const describeRoute: SwaggerTransform = (input) => {
  const { schema, url } = jsonSchemaTransform(input) as {
    schema: Record<string, unknown> & { response?: Record<string, unknown> };
    url: string;
  };
  if (schema.hide) return { schema, url };
  const methods = [input.route.method].flat();
  if (typeof schema.operationId !== 'string')
    throw new Error(
      `${methods.join(',')} ${url}: the route's schema needs an operationId (the client's method name)`,
    );
  const consumes = schema.consumes as readonly string[] | undefined;
  if (!schema.body && consumes?.length) {
    schema.body = {
      content: Object.fromEntries(consumes.map((type) => [type, { schema: { type: 'string' } }])),
    };
  }
  const response = { ...schema.response };
  const add = (status: number) => {
    response[status] ??= errorRef;
  };
  if (methods.some((method) => unsafeMethods.has(method))) add(403);
  if (!(input.route.config as { public?: boolean } | undefined)?.public) add(429);
  if (schema.body) {
    add(413);
    add(415);
  }
  add(500);
  return { schema: { ...schema, response }, url };
};
