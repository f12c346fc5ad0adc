// The dashboard's bundle: Preact through Vite, served by the API under /app/ (api/app.ts). Everything the
// page loads is in this bundle: nothing comes from a CDN at run time.
import path from 'node:path';
import { defineConfig } from 'vite';

const web = import.meta.dirname;

export default defineConfig({
  root: web,
  base: '/app/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.join(web, 'dist', 'app'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
});
