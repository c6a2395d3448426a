// electron-vite's build of the desktop app (`npm run build`, `npm start`):
//   out/main/     index.js (the Electron main process), worker.js (the
//                 training worker, forked as a utility process; the CLI's
//                 defaultWorkerEntry() finds it beside the bundle that forks
//                 it), cli.js (bin/rnn-workbench.js loads it), shared chunks
//   out/preload/  index.cjs: CommonJS, the only kind a sandboxed page loads
//   out/renderer/ the Vue app (renderer/vite.config.ts, the same build as
//                 `npm run build:renderer`), served to the window as
//                 app://workbench/
// Dependencies stay external in main (node_modules ships with the app).

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import renderer from './renderer/vite.config';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: 'main/electron/main.ts',
          worker: 'native-worker/process/index.ts',
          cli: 'main/cli/index.ts',
        },
        // Shared chunks beside the entries, so every bundle's import.meta.url points into out/main/.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: 'main/electron/preload.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...renderer,
    build: {
      ...renderer.build,
      rollupOptions: { input: fileURLToPath(new URL('renderer/index.html', import.meta.url)) },
    },
  },
});
