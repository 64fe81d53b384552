import { z } from 'zod';
import { timeSchema } from './fields';

export const secretNameSchema = z
  .object({ name: z.string(), updatedAt: timeSchema })
  .meta({ id: 'SecretName' });
/** A secret as GET /secrets lists it: its name, never its value. */
export type SecretName = z.infer<typeof secretNameSchema>;
export const secretParams = z.object({ name: z.string().min(1).max(100) });
export const setSecretBody = z.object({ value: z.string().min(1).max(65_536) });
export const secretListReply = z.object({ secrets: z.array(secretNameSchema) });
