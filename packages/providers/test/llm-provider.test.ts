import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmProvider, llmProvider } from '../src/llm';
import { runProvider } from './support/run-provider';
import { sendJson, startTestServer, type TestServer } from './support/test-server';

const secrets = { OPENAI_API_KEY: 'sk-llm-secret-999' };
const llm = createLlmProvider({ allow: ['127.0.0.1'] });

/** Canned answers by the user prompt, in the chat-completions shape. */
const answers: Record<string, string> = {
  'Industry of Acme?': 'Manufacturing',
  'Facts about Acme': '```json\n{"name": "Acme", "employees": 120}\n```',
  'Facts about Bad': '{"name": "Bad", "employees": "many"}',
  'Facts about Cut': '{"name": "Cu',
};

describe('llm provider against an OpenAI-compatible server on 127.0.0.1', () => {
  let server: TestServer;
  let baseUrl: string;
  beforeAll(async () => {
    server = await startTestServer((request, response) => {
      if (request.url !== '/v1/chat/completions')
        return sendJson(response, 404, { error: { message: 'not found' } });
      const body = JSON.parse(request.body) as { messages: Array<{ role: string; content: string }> };
      const prompt = body.messages.at(-1)?.content ?? '';
      if (prompt === 'busy')
        return sendJson(response, 429, { error: { message: 'rate limited' } }, { 'retry-after': '3' });
      if (prompt === 'who am i') {
        return sendJson(response, 401, {
          error: { message: `Incorrect API key provided: ${request.headers.authorization}` },
        });
      }
      const content = answers[prompt] ?? '';
      return sendJson(response, 200, {
        model: 'test-model-2025',
        choices: [
          {
            message: { role: 'assistant', content },
            finish_reason: prompt === 'Facts about Cut' ? 'length' : 'stop',
          },
        ],
        usage: { prompt_tokens: 30, completion_tokens: 10, total_tokens: 40 },
      });
    });
    baseUrl = `${server.origin}/v1`;
  });
  afterAll(() => server.close());

  it('sends model, prompts, temperature and the key; answers text with tokens as cost', async () => {
    const config = {
      baseUrl,
      model: 'small',
      system: 'Answer in one word.',
      prompt: 'Industry of {{Company}}?',
    };
    const result = await runProvider(llm, config, { Company: 'Acme' }, { secrets });
    expect(result).toEqual({
      kind: 'ok',
      value: 'Manufacturing',
      cost: 40,
      meta: {
        model: 'test-model-2025',
        promptTokens: 30,
        completionTokens: 10,
        totalTokens: 40,
        finishReason: 'stop',
      },
    });
    const request = server.requests.at(-1);
    expect(request?.headers.authorization).toBe('Bearer sk-llm-secret-999');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      model: 'small',
      temperature: 0,
      messages: [
        { role: 'system', content: 'Answer in one word.' },
        { role: 'user', content: 'Industry of Acme?' },
      ],
    });
  });

  const responseSchema = {
    type: 'object',
    properties: { name: { type: 'string' }, employees: { type: 'integer' } },
    required: ['name', 'employees'],
  };

  it('parses and validates a JSON answer (even in a code fence) and asks for json_schema', async () => {
    const config = { baseUrl, prompt: 'Facts about {{Company}}', responseSchema };
    const result = await runProvider(llm, config, { Company: 'Acme' }, { secrets });
    expect(result).toMatchObject({ kind: 'ok', value: { name: 'Acme', employees: 120 } });
    expect(JSON.parse(server.requests.at(-1)?.body ?? '').response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema: responseSchema },
    });
  });

  it('fails permanently, naming the field path, when the answer does not match the schema; tokens still count', async () => {
    const result = await runProvider(
      llm,
      { baseUrl, prompt: 'Facts about Bad', responseSchema },
      {},
      { secrets },
    );
    expect(result).toEqual({
      kind: 'permanent',
      cost: 40,
      message: 'llm gpt-4o-mini: the answer does not match config.responseSchema: /employees must be integer',
      meta: expect.objectContaining({ model: expect.any(String), totalTokens: 40 }),
    });
  });

  it('says when a JSON answer was cut off by maxTokens', async () => {
    const result = await runProvider(
      llm,
      { baseUrl, prompt: 'Facts about Cut', responseSchema },
      {},
      { secrets },
    );
    expect(result).toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('raise config.maxTokens'),
    });
  });

  it('prices tokens when prices per 1k are configured', async () => {
    const config = {
      baseUrl,
      prompt: 'Industry of Acme?',
      pricePer1kPromptTokens: 0.5,
      pricePer1kCompletionTokens: 2,
    };
    const result = await runProvider(llm, config, {}, { secrets });
    expect(result.kind === 'ok' && result.cost).toBeCloseTo((30 * 0.5 + 10 * 2) / 1000, 10);
  });

  it('retries on 429 with Retry-After and hides the key in a 401 message', async () => {
    expect(await runProvider(llm, { baseUrl, prompt: 'busy' }, {}, { secrets })).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 3000,
    });
    const denied = await runProvider(llm, { baseUrl, prompt: 'who am i' }, {}, { secrets });
    expect(denied).toEqual({
      kind: 'permanent',
      message: 'llm gpt-4o-mini: HTTP 401 Unauthorized: Incorrect API key provided: Bearer [secret]',
    });
  });

  it('rejects an invalid responseSchema when the column is configured, naming the field', () => {
    const parsed = llm.configSchema.safeParse({ responseSchema: { type: 'nonsense' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['responseSchema']);
    expect(parsed.error?.issues[0]?.message).toContain('not a valid JSON Schema');
  });

  it('refuses a local model server unless it is in the allow list', async () => {
    const result = await runProvider(llmProvider, { baseUrl, prompt: 'Industry of Acme?' }, {}, { secrets });
    expect(result).toMatchObject({ kind: 'permanent', message: expect.stringContaining('loopback') });
  });
});
