import { createGlazeClient } from '@glaze/client';

/** The API on the page's own origin (the dev server's proxy): no token, the session cookie is sent. */
export const glaze = createGlazeClient({ baseUrl: '' });
