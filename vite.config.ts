import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer is static files: the Electron shell serves them from its own protocol and the
// browser host from loopback, so every URL is relative.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
});
