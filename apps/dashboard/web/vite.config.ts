import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The browser app: built into apps/dashboard/dist/web, which the Nest app serves. The workspace
// libraries (@trucom/client, @trucom/crypto, @trucom/proto) are bundled from their dist; the few Node
// built-ins they touch get small browser shims (see src/shims and src/polyfills.ts).
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^node:crypto$/, replacement: here('src/shims/node-crypto.ts') },
      { find: /^node:module$/, replacement: here('src/shims/node-module.ts') },
    ],
  },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
});
