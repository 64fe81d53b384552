import { defineConfig } from 'vite';

/**
 * The page calls the API on its own origin (`/api/v1/…`) and Vite forwards `/api` to `glaze start`
 * (GLAZE_URL, default http://127.0.0.1:3000). Glaze sends no CORS headers; through the proxy the page
 * and the API share one origin, so the page signs in as the web app does (`POST /api/v1/session`, an
 * HttpOnly cookie). `changeOrigin: false` keeps the Host header the browser sent, which is what
 * Glaze's cross-origin check compares a sign-in's Origin with.
 * JSX is compiled by Vite's own oxc transform (no @vitejs/plugin-react), as in apps/web.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: process.env.GLAZE_URL ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
