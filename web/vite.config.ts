import { defineConfig } from 'vitest/config';

// `npm run dev` proxies /api to a running tenantsync (TENANTSYNC_API, default :8080), so the
// dev server behaves like the same-origin deployment the C++ server gives.
const apiTarget = process.env.TENANTSYNC_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/api': { target: apiTarget, changeOrigin: true } } },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.mjs'],
  },
});
