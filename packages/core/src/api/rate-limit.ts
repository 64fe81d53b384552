import { z } from 'zod';
import { timeSchema } from './fields';

export const rateLimitSchema = z
  .object({
    provider: z.string(),
    host: z
      .string()
      .nullable()
      .describe(
        "The host this limit is for (the provider's calls to it only); null: every call of the provider",
      ),
    requestsPerSecond: z
      .number()
      .nullable()
      .describe('Calls started per second across every worker; null: none'),
    concurrency: z
      .number()
      .int()
      .nullable()
      .describe('Calls in flight at once across every worker; null: none'),
    learnedRequestsPerSecond: z
      .number()
      .nullable()
      .describe(
        "The rate the provider's own quota headers showed last (OpenAI's x-ratelimit-*-requests), which every worker paces its calls to while requestsPerSecond is null; null: none learned",
      ),
    pausedUntil: timeSchema
      .nullable()
      .describe('Set while the provider is paused for every worker (it answered 429 or 503 with a time)'),
  })
  .meta({ id: 'RateLimit' });
/** A provider's limits in a workspace, as GET /providers/limits lists them. */
export type RateLimitInfo = z.infer<typeof rateLimitSchema>;

export const providerNameParams = z.object({ name: z.string().min(1).max(100) });
export const providerLimitQuery = z.object({
  host: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Set the limit of the calls to this host only (e.g. api.example.com, or localhost:8080)'),
});
export const setRateLimitBody = z.object({
  requestsPerSecond: z
    .number()
    .positive()
    .max(100_000)
    .nullable()
    .optional()
    .describe('Calls started per second; null removes the limit; left out: unchanged'),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .nullable()
    .optional()
    .describe('Calls in flight at once; null removes the limit; left out: unchanged'),
});
export type SetRateLimitBody = z.input<typeof setRateLimitBody>;

export const rateLimitReply = z.object({ limit: rateLimitSchema });
export const rateLimitListReply = z.object({ limits: z.array(rateLimitSchema) });
export type RateLimitListReply = z.infer<typeof rateLimitListReply>;
