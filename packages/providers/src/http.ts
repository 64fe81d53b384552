import {
  assertNever,
  defineProvider,
  type Json,
  type ProviderResult,
  previewAnswer,
  readPath,
} from '@glaze/core';
import { z } from 'zod';
import { failureForStatus } from './net/classify-failure';
import type { GuardedFetchOptions } from './net/guarded-fetch';
import { withQuotaRate } from './net/quota-rate';
import { withQuotaWait } from './net/quota-wait';
import { sendRequest } from './net/send-request';
import { redact, redactJson } from './secrets/redact';
import { jsonStrings, renderJson } from './support/render-json';
import { renderUrl } from './support/render-url';
import { templateHost } from './support/template-host';

const configSchema = z.object({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET').describe('HTTP method'),
  url: z
    .string()
    .min(1)
    .default('{{url}}')
    .describe(
      'URL template; values after the start are URL-encoded, e.g. https://api.example.com/v1?domain={{domain}}',
    ),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe('Header templates, e.g. {"Authorization": "Bearer {{secret.API_KEY}}"}'),
  body: z
    .union([z.string(), z.record(z.string(), z.json()), z.array(z.json())])
    .optional()
    .describe('Request body: a JSON object whose strings are templates (sent as JSON), or a text template'),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(300_000)
    .default(15_000)
    .describe('Deadline for the whole exchange'),
  fields: z
    .record(z.string(), z.string())
    .default({})
    .describe('Fields to keep: name → path into the JSON response, e.g. {"domain": "data.company.domain"}'),
  notFoundIsEmpty: z.boolean().default(false).describe('Treat HTTP 404 as "no result" instead of an error'),
});

export type HttpConfig = z.infer<typeof configSchema>;

/**
 * The `http` provider, bound to the network policy the app chose: `allow` lists the private hosts
 * and networks it may reach (the app reads GLAZE_HTTP_ALLOW); everything else private is refused.
 * @example createHttpProvider({ allow: ['127.0.0.1', '10.0.0.0/8'] })
 */
export function createHttpProvider(net: GuardedFetchOptions = {}) {
  return defineProvider({
    id: 'http',
    group: 'api',
    description: 'Calls an HTTP API with values from the row and keeps fields of its JSON answer',
    configSchema,
    display: previewAnswer,
    secretFields: ['headers'],
    limitHost: (config) => templateHost(config.url),
    templates: (config) => [
      config.url,
      ...Object.values(config.headers),
      ...(config.body === undefined ? [] : jsonStrings(config.body)),
    ],
    async enrich({ config, row, render }, ctx) {
      const secrets = Object.values(ctx.secrets);
      const url = renderUrl(config.url, render);
      let host: string;
      try {
        host = new URL(url).host;
      } catch {
        return { kind: 'permanent', message: redact(`config.url: "${url}" is not an absolute URL`, secrets) };
      }
      const headers = new Headers();
      for (const [name, template] of Object.entries(config.headers)) {
        try {
          headers.set(name, render(template));
        } catch {
          // A value with a line break or a name with a space: the request cannot be sent as configured.
          return {
            kind: 'permanent',
            message: redact(`config.headers.${name}: not a valid HTTP header`, secrets),
          };
        }
      }
      let body: string | undefined;
      if (typeof config.body === 'string') body = render(config.body);
      else if (config.body !== undefined) {
        body = JSON.stringify(renderJson(config.body, row, render));
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
      if (!headers.has('accept')) headers.set('accept', 'application/json, text/plain;q=0.9');
      const what = `${config.method} ${host}`;
      const sent = await sendRequest(
        url,
        { method: config.method, headers, body },
        { what, timeoutMs: config.timeoutMs, signal: ctx.signal, net },
      );
      return sanitize(toResult(sent, config, what), secrets);
    },
  });
}

function toResult(
  sent: Awaited<ReturnType<typeof sendRequest>>,
  config: HttpConfig,
  what: string,
): ProviderResult {
  if (sent.kind !== 'response') return sent;
  const { response, text } = sent;
  if (response.status === 404 && config.notFoundIsEmpty) return { kind: 'empty' };
  // The rate an answer's quota headers show is its host's: a column whose host comes from the row
  // calls many APIs, and pacing them all (every call of the provider, its limits keyed by provider
  // alone) to one of theirs would be wrong, so only a column with a fixed host reports one.
  const rated = (result: ProviderResult) =>
    templateHost(config.url) === undefined ? result : withQuotaRate(result, response.headers);
  if (response.status < 200 || response.status >= 300) return rated(failureForStatus(response, text, what));
  return rated(withQuotaWait(toValue(text, response, config, what), response.headers));
}

function toValue(text: string, response: Response, config: HttpConfig, what: string): ProviderResult {
  if (text.trim() === '') return { kind: 'empty' };
  const isJson = /\bjson\b/i.test(response.headers.get('content-type') ?? '');
  let data: Json;
  try {
    data = isJson || Object.keys(config.fields).length > 0 ? (JSON.parse(text) as Json) : text;
  } catch (error) {
    return {
      kind: 'permanent',
      message: `${what}: response is not valid JSON (${(error as Error).message})`,
    };
  }
  if (Object.keys(config.fields).length === 0)
    return data === null ? { kind: 'empty' } : { kind: 'ok', value: data };
  const value: Record<string, Json> = {};
  for (const [name, path] of Object.entries(config.fields))
    value[name] = (readPath(data, path) as Json | undefined) ?? null;
  // Every field missing means the API had nothing for this input, which is "no result", not a value of nulls.
  return Object.values(value).every((v) => v === null) ? { kind: 'empty' } : { kind: 'ok', value };
}

/** No secret value leaves the provider, neither in a message nor inside a value. */
function sanitize(result: ProviderResult, secrets: readonly string[]): ProviderResult {
  switch (result.kind) {
    case 'ok':
      return { ...result, value: redactJson(result.value, secrets) };
    case 'retryable':
    case 'permanent':
      return { ...result, message: redact(result.message, secrets) };
    case 'empty':
      return result;
    default:
      return assertNever(result);
  }
}

/** The default `http` provider: reaches public addresses only. */
export const httpProvider = createHttpProvider();
