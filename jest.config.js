/** One config for unit specs (beside the code) and end-to-end tests (test/). */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Generous: a time-out only catches a hang; the suite must pass on a loaded 2-core machine.
  testTimeout: 180000,
  // Workers grew to 2.5-2.9 GB over the suite; a worker past 1 GB is replaced between files,
  // which made the suite about a tenth faster here.
  workerIdleMemoryLimit: '1GB',
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
