import { api } from './client';
import type { Workspace } from './types';

/** Exchanges the token `glaze start` printed for an HttpOnly session cookie. The token never goes in a URL. */
export const signIn = (token: string) => api<{ workspace: Workspace }>('POST', '/session', { token });

export const getSession = () => api<{ workspace: Workspace }>('GET', '/session');

export const signOut = () => api<void>('DELETE', '/session');
