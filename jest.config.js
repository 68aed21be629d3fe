// One test runner for the whole repo. SWC keeps decorator metadata (NestJS DI needs it),
// which esbuild-based transforms drop.
/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  transform: { '^.+\\.ts$': swc },
  // Generated Prisma client imports siblings as './x.js' (node16 ESM-style paths); map them to sources.
  moduleNameMapper: {
    '^@catalens/app-([a-z-]+)$': '<rootDir>/apps/$1/src',
    '^@catalens/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.cache/'],
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/libs/*/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/env.ts'],
      slowTestThreshold: 60,
    },
  ],
};
