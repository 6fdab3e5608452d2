/**
 * Jest runs TypeScript through esbuild (test/esbuild-transform.js; transpile only, `npm run typecheck` runs tsc).
 * `@middy/core` and its siblings ship ESM only, so they are transformed to CommonJS too.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/infra", "<rootDir>/functions", "<rootDir>/statemachines", "<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.(t|j|mj)s$": "<rootDir>/test/esbuild-transform.js" },
  transformIgnorePatterns: ["/node_modules/(?!(@middy)/)"],
  // @middy/* export only an "import" condition, which jest's CommonJS resolver does not match.
  moduleNameMapper: { "^@middy/(core|util)$": "<rootDir>/node_modules/@middy/$1/index.js" },
  moduleFileExtensions: ["ts", "js", "mjs", "json"],
  setupFiles: ["<rootDir>/test/jest-env.js"],
  setupFilesAfterEnv: ["aws-sdk-client-mock-jest"],
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  testTimeout: 60000,
};
