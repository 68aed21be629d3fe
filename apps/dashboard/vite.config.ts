import { defineConfig } from 'vite';

// Built to dist/ and served by apps/graphql at `/` (same origin as /graphql).
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: { proxy: { '/graphql': 'http://127.0.0.1:3000', '/v1': 'http://127.0.0.1:3000' } },
});
