/** Tests run transpile-only; `npm run typecheck` is the single type check. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testTimeout: 60000,
  // Two cores: one worker per core keeps memory and CPU in bounds.
  maxWorkers: 2,
};
