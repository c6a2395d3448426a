// The renderer's build (Vite + Vue). Root is this folder, output goes to
// out/renderer, and asset URLs are relative (base './') so the same build
// loads from file:// in the desktop app and from the serve-mode server.
// electron.config.ts reuses this config for its renderer part.

import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The serve-mode CSP forbids inline scripts: keep the module preload polyfill out.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
});
