import { glaze } from './client';

/** Exchanges the token `glaze start` printed for an HttpOnly session cookie. The token never goes in a URL. */
export const signIn = (token: string) => glaze.signIn({ body: { token } });

export const getSession = () => glaze.getSession();

export const signOut = () => glaze.signOut();
