// Nest 12 ships as native ES modules, which Jest loads only in its ESM mode
// (NODE_OPTIONS=--experimental-vm-modules, set by `npm test`).
/** @type {import('jest').Config} */
export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.spec.json' }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
  // Two workers on the 2-core CI machine: each owns a database (test/global-setup.ts). In one
  // process, every suite re-links Nest, TypeORM and Fastify as ES modules and the heap only grows
  // (3.8 GB after 80 suites, later suites several times slower); a worker is replaced once it
  // holds more than 1.5 GB after a suite.
  maxWorkers: Number(process.env.JEST_WORKERS ?? 2),
  workerIdleMemoryLimit: '1.5GB',
};
