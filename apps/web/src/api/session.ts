import type { WorkspaceReply } from '@glaze/core';
import { api } from './client';

/** Exchanges the token `glaze start` printed for an HttpOnly session cookie. The token never goes in a URL. */
export const signIn = (token: string) => api<WorkspaceReply>('POST', '/session', { token });

export const getSession = () => api<WorkspaceReply>('GET', '/session');

export const signOut = () => api<void>('DELETE', '/session');
