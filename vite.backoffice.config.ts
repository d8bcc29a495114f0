import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The instruction back office: static files the companion API serves at /instruction/, so its
// URLs are relative too (the API may sit behind a proxy under another prefix).
export default defineConfig({
  root: 'src-backoffice',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/backoffice', emptyOutDir: true, sourcemap: true },
});
