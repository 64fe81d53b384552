import { z } from 'zod';

export const workspaceSchema = z.object({ id: z.number(), name: z.string() }).meta({ id: 'Workspace' });
export type Workspace = z.infer<typeof workspaceSchema>;

export const sessionBody = z.object({ token: z.string().min(1).max(500) });
export const workspaceReply = z.object({ workspace: workspaceSchema });
export type WorkspaceReply = z.infer<typeof workspaceReply>;
