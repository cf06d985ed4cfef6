/**
 * Tests run transpile-only; `npm run typecheck` is the single type check. SWC strips the types (the
 * project has `isolatedModules` on, so every file transpiles on its own) with inline source maps,
 * so failures point at the TypeScript lines.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript" },
          // tsconfig.json's target: ES2022 class fields (define semantics), as tsc emits them.
          target: "es2022",
          transform: { useDefineForClassFields: true },
        },
        module: { type: "commonjs" },
      },
    ],
  },
  // The SDK's own stack captures are formatted without source maps (see the file).
  setupFiles: ["<rootDir>/tests/setup/stackTraces.ts"],
  // The run's folder for the worst-case plans the test files share (tests/plan/worstCase.ts).
  globalSetup: "<rootDir>/tests/plan/globalSetup.ts",
  globalTeardown: "<rootDir>/tests/plan/globalTeardown.ts",
  // Without timings (a fresh clone), the files that plan whole stacks start first.
  testSequencer: "<rootDir>/tests/setup/sequencer.js",
  testTimeout: 60000,
  // Two cores: one worker per core keeps memory and CPU in bounds.
  maxWorkers: 2,
};
