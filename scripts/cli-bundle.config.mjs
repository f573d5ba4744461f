// The operator CLI as one file (dist/cli.bundle.mjs), built by `npm run build`.
//
// Why: an operator command spent most of its start-up in Node's module loader, resolving and
// reading about 2,000 files of Nest, TypeORM and class-validator (measured with --cpu-prof); one
// bundled file halves its CPU. Only pure-JavaScript packages that never read files beside
// themselves are bundled; the rest stay in node_modules: native bindings (argon2), PGlite (loads
// its WebAssembly by its own URL), pino (starts workers by file path).
const BUNDLED = /^(@nestjs\/(common|core|typeorm|swagger|jwt|passport|throttler|terminus|platform-fastify)|typeorm|class-validator|class-transformer|rxjs|reflect-metadata|tslib|libphonenumber-js|validator|lodash|@zxcvbn-ts|luxon|node-forge|path-to-regexp|iterare|uid|fast-safe-stringify|@nuxt\/opencollective|consola|sql-highlight|dayjs|dotenv|glob|ansis|sha\.js|uuid|buffer|app-root-path|debug|ms|reflect|pg|pg-[a-z]+|postgres-[a-z]+|pgpass|split2|xtend|semver)(\/|$)/;

/**
 * @nestjs/typeorm reads a few optional TypeORM exports through createRequire, which a bundler
 * cannot see: the bundle would then load all of TypeORM a second time from node_modules.
 */
const typeormCompatFromBundle = {
  name: 'typeorm-compat-from-bundle',
  transform(code, id) {
    if (!id.endsWith('@nestjs/typeorm/dist/common/typeorm-compat.js')) return null;
    const rewritten = code.replace("const typeorm = require('typeorm');", 'const typeorm = __typeorm;');
    if (rewritten === code) throw new Error('@nestjs/typeorm changed typeorm-compat.js: revisit scripts/cli-bundle.config.mjs');
    return `import * as __typeorm from 'typeorm';\n${rewritten}`;
  },
};

export default {
  input: 'dist/cli.js',
  plugins: [typeormCompatFromBundle],
  platform: 'node',
  external: (id, importer) => {
    if (id.startsWith('.') || id.startsWith('/') || id.startsWith('\0')) return false;
    if (id.startsWith('node:')) return true;
    return !BUNDLED.test(id) && Boolean(importer);
  },
  output: {
    file: 'dist/cli.bundle.mjs',
    format: 'esm',
    // Bundled CommonJS calls require(); an ES module has none of its own.
    banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    codeSplitting: false,
    // TypeORM and Nest name entities and providers by class name.
    keepNames: true,
    minify: true,
  },
  logLevel: 'warn',
};
