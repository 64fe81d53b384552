import { defineProvider, type Json, type ProviderResult, previewAnswer } from '@glaze/core';
import { z } from 'zod';
import type { GuardedFetchOptions } from './net/guarded-fetch';
import { withQuotaRate } from './net/quota-rate';
import { withQuotaWait } from './net/quota-wait';
import { sendRequest } from './net/send-request';
import { redact } from './secrets/redact';
import { compileJsonSchema } from './support/json-schema-validator';
import { readCompletion } from './support/read-completion';

const configSchema = z
  .object({
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default('https://api.openai.com/v1')
      .describe('Root of an OpenAI-compatible API; /chat/completions is appended'),
    model: z.string().min(1).default('gpt-4o-mini').describe('Model name as the API knows it'),
    apiKey: z
      .string()
      .default('{{secret.OPENAI_API_KEY}}')
      .describe('Template for the API key, sent as a Bearer token; leave empty for servers without auth'),
    system: z.string().default('').describe('System prompt template'),
    prompt: z
      .string()
      .min(1)
      .default('{{prompt}}')
      .describe('User prompt template, e.g. "Industry of {{Company}}?"'),
    temperature: z
      .number()
      .min(0)
      .max(2)
      .default(0)
      .describe('Sampling temperature; 0 gives the steadiest answers'),
    maxTokens: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Upper bound on tokens in the answer'),
    responseSchema: z
      .record(z.string(), z.json())
      .optional()
      .describe('JSON Schema the answer must match; the answer is then parsed as JSON and validated'),
    responseFormat: z
      .enum(['json_schema', 'json_object', 'none'])
      .default('json_schema')
      .describe('How a responseSchema is requested from the server (some servers only know json_object)'),
    pricePer1kPromptTokens: z
      .number()
      .min(0)
      .optional()
      .describe('Price of 1,000 prompt tokens; sets cost in money'),
    pricePer1kCompletionTokens: z.number().min(0).optional().describe('Price of 1,000 answer tokens'),
    timeoutMs: z
      .number()
      .int()
      .min(1_000)
      .max(600_000)
      .default(60_000)
      .describe('Deadline for one completion'),
  })
  .superRefine((config, ctx) => {
    if (!config.responseSchema) return;
    try {
      compileJsonSchema(config.responseSchema);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['responseSchema'],
        message: `not a valid JSON Schema: ${(error as Error).message}`,
      });
    }
  });

export type LlmConfig = z.infer<typeof configSchema>;

/**
 * The `llm` provider: one chat completion per cell against any OpenAI-compatible endpoint
 * (OpenAI, Azure-style gateways, vLLM, Ollama, LM Studio). A local server such as Ollama on
 * 127.0.0.1 must be in the allow list like any private address.
 *
 * Cost: total tokens by default; with a price per 1k tokens set, prompt and answer tokens times
 * their prices. Token counts are always in `meta`.
 */
export function createLlmProvider(net: GuardedFetchOptions = {}) {
  return defineProvider({
    id: 'llm',
    group: 'ai',
    description: 'Asks an OpenAI-compatible chat model; optionally validates a JSON answer against a schema',
    configSchema,
    display: previewAnswer,
    cacheable: true,
    secretFields: ['apiKey'],
    templates: (config) => [config.apiKey, config.system, config.prompt],
    limitHost: (config) => new URL(config.baseUrl).host,
    async enrich({ config, render }, ctx) {
      const secrets = Object.values(ctx.secrets);
      const prompt = render(config.prompt);
      if (prompt.trim() === '') return { kind: 'empty' };
      const system = render(config.system);
      const apiKey = render(config.apiKey);
      const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
      const body = {
        model: config.model,
        messages: [
          ...(system.trim() ? [{ role: 'system', content: system }] : []),
          { role: 'user', content: prompt },
        ],
        temperature: config.temperature,
        ...(config.maxTokens ? { max_tokens: config.maxTokens } : {}),
        ...responseFormat(config),
      };
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (apiKey) headers.authorization = `Bearer ${apiKey}`;
      const sent = await sendRequest(
        url,
        { method: 'POST', headers, body: JSON.stringify(body) },
        { what: `llm ${new URL(url).host}`, timeoutMs: config.timeoutMs, signal: ctx.signal, net },
      );
      const result = readCompletion(sent, config);
      return hideSecrets(
        sent.kind === 'response'
          ? withQuotaRate(withQuotaWait(result, sent.response.headers), sent.response.headers)
          : result,
        secrets,
      );
    },
  });
}

function responseFormat(config: LlmConfig): { response_format?: Json } {
  if (!config.responseSchema || config.responseFormat === 'none') return {};
  if (config.responseFormat === 'json_object') return { response_format: { type: 'json_object' } };
  return {
    response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: config.responseSchema } },
  };
}

function hideSecrets(result: ProviderResult, secrets: readonly string[]): ProviderResult {
  if (result.kind === 'retryable' || result.kind === 'permanent')
    return { ...result, message: redact(result.message, secrets) };
  return result;
}

/** The default `llm` provider: reaches public endpoints only. */
export const llmProvider = createLlmProvider();
