import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Prints what a first visit downloads before the console is interactive: the entry chunk and the
 * chunks it imports statically (preloaded), gzipped. Vite's own size table is per file and hidden
 * at --logLevel warn; this is the one figure the budget (500 KB) is about.
 */
function initialJavaScriptReport(): Plugin {
  return {
    name: 'initial-javascript-report',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((file) => (file.type === 'chunk' ? [[file.fileName, file] as const] : [])));
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name) || !chunks.has(name)) return;
        initial.add(name);
        chunks.get(name)!.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const gzipped = (names: Iterable<string>) => [...names].reduce((n, name) => n + gzipSync(chunks.get(name)!.code).length, 0);
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
      console.log(`console: initial JavaScript ${kb(gzipped(initial))} gzipped in ${initial.size} file(s) (budget 500 KB); all ${chunks.size} chunks ${kb(gzipped(chunks.keys()))} gzipped`);
    },
  };
}

// No React plugin: Vite's own transformer compiles TSX with the automatic runtime, and a
// production build needs nothing else (no fast refresh). Built to console/dist, which the
// control plane serves (src/console/serve-console.ts).
export default defineConfig({
  base: '/',
  plugins: [initialJavaScriptReport()],
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
