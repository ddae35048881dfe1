// The demo page, built by Vite with no plugin: the library is imported by its package name
// and resolved through package.json's exports map, as an application would import it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Cross-origin isolation (SharedArrayBuffer, shared Wasm memory) for `vite` and `vite preview`;
// a static host must send the same two headers for the shared-memory panel to run.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { 'wasm-memoryview': fileURLToPath(new URL('..', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  server: { headers: isolation },
  preview: { headers: isolation },
});
