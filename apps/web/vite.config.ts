import { defineConfig } from 'vite';

/**
 * No @vitejs/plugin-react (its peer range clashes with React 18 + Vite 8): Vite's own oxc
 * transform compiles JSX with the automatic runtime, which is all the app needs.
 * `npm run dev` proxies /api to a running `glaze start` on 127.0.0.1:3000.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
