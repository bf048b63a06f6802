import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The renderer is one static build served two ways: from disk by Electron (`base: './'` keeps
 * asset URLs relative for file://) and over loopback HTTP by the web host.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome120',
  },
});
