import { defineConfig } from 'vite';

// The gateway serves the built files at /ui/ (embedded in Tollgate.Gateway.dll), so every URL starts there.
// No inlined assets or injected scripts: the page runs under a Content-Security-Policy of 'self' only.
export default defineConfig({
  base: '/ui/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` serves the page on :5173 and forwards the API to a gateway on :4000.
    proxy: { '/v1': 'http://127.0.0.1:4000', '/v2': 'http://127.0.0.1:4000', '/health': 'http://127.0.0.1:4000' },
  },
});
