import { defineConfig } from 'vite';

// No React plugin: Vite's own transformer compiles TSX with the automatic runtime, and a
// production build needs nothing else (no fast refresh). Built to console/dist, which the
// control plane serves (src/console/serve-console.ts).
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline script or data: URL module anywhere: the console's CSP is script-src 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Ant Design marks its modules "use client" (React Server Components): meaningless in a
      // client-only bundle, and one warning per module.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
