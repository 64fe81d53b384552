import type { Json, ProviderResult } from '@glaze/core';
import { failureForStatus } from '../net/classify-failure';
import type { Sent } from '../net/send-request';
import { compileJsonSchema, describeSchemaErrors } from './json-schema-validator';

/** The parts of an llm column's config that reading its answer needs (LlmConfig has them). */
export interface CompletionConfig {
  model: string;
  responseSchema?: Record<string, Json>;
  pricePer1kPromptTokens?: number;
  pricePer1kCompletionTokens?: number;
}

interface Completion {
  model?: string;
  choices?: Array<{ message?: { content?: string | null; refusal?: string | null }; finish_reason?: string }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
}

/**
 * Turns a chat-completions exchange into a result: the answer text, or with a responseSchema the
 * parsed and validated JSON. Tokens are paid for even when the answer is unusable, so every
 * result after a 2xx carries the cost.
 */
export function readCompletion(sent: Sent, config: CompletionConfig): ProviderResult {
  if (sent.kind !== 'response') return sent;
  const what = `llm ${config.model}`;
  if (!sent.response.ok) return failureForStatus(sent.response, sent.text, what);
  let completion: Completion;
  try {
    completion = JSON.parse(sent.text) as Completion;
  } catch {
    return {
      kind: 'permanent',
      message: `${what}: the server's answer is not JSON; is config.baseUrl an OpenAI-compatible API?`,
    };
  }
  const choice = completion.choices?.[0];
  const usage = completion.usage ?? {};
  const promptTokens = usage.prompt_tokens ?? 0;
  const completionTokens = usage.completion_tokens ?? 0;
  const totalTokens = usage.total_tokens ?? promptTokens + completionTokens;
  const priced =
    config.pricePer1kPromptTokens !== undefined || config.pricePer1kCompletionTokens !== undefined;
  const cost = priced
    ? (promptTokens * (config.pricePer1kPromptTokens ?? 0) +
        completionTokens * (config.pricePer1kCompletionTokens ?? 0)) /
      1000
    : totalTokens;
  const meta: Record<string, Json> = {
    model: completion.model ?? config.model,
    promptTokens,
    completionTokens,
    totalTokens,
    finishReason: choice?.finish_reason ?? null,
  };
  const content = choice?.message?.content;
  if (typeof content !== 'string') {
    const refusal = choice?.message?.refusal;
    return {
      kind: 'permanent',
      cost,
      meta,
      message: refusal
        ? `${what} refused: ${refusal}`
        : `${what}: the answer has no text (choices[0].message.content)`,
    };
  }
  if (!config.responseSchema)
    return content.trim() === '' ? { kind: 'empty', cost, meta } : { kind: 'ok', value: content, cost, meta };
  const cut = choice?.finish_reason === 'length' ? ' (the answer was cut off: raise config.maxTokens)' : '';
  let answer: Json;
  try {
    // Models often wrap JSON in a ```json fence even when asked not to.
    answer = JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, '')) as Json;
  } catch (error) {
    return {
      kind: 'permanent',
      cost,
      meta,
      message: `${what}: the answer is not JSON${cut}: ${(error as Error).message}`,
    };
  }
  const validate = compileJsonSchema(config.responseSchema);
  if (!validate(answer)) {
    return {
      kind: 'permanent',
      cost,
      meta,
      message: `${what}: the answer does not match config.responseSchema: ${describeSchemaErrors(validate)}${cut}`,
    };
  }
  return { kind: 'ok', value: answer, cost, meta };
}
