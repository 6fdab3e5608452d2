/**
 * Jest transform: TypeScript and ES modules → CommonJS with esbuild (transpile only; `npm run
 * typecheck` runs tsc). esbuild is already the project's bundler, and unlike SWC it needs no
 * platform binary that some npm mirrors omit, which would break `npm ci`.
 * Note: it does not hoist `jest.mock(...)` above imports; use `jest.isolateModules` or env set-up
 * files instead (the tests here do).
 */
const { transformSync } = require("esbuild");
const { createHash } = require("node:crypto");
const { version } = require("esbuild/package.json");

const LOADERS = { ".ts": "ts", ".js": "js", ".mjs": "js", ".cjs": "js" };

module.exports = {
  process(source, filename) {
    const extension = filename.slice(filename.lastIndexOf("."));
    const { code, map } = transformSync(source, {
      loader: LOADERS[extension] ?? "js",
      format: "cjs",
      target: "node22",
      sourcemap: "external",
      sourcefile: filename,
      // `import.meta.url` has no CommonJS equivalent esbuild can infer; jest runs files by path.
      define: { "import.meta.url": "__jestImportMetaUrl" },
      banner: 'const __jestImportMetaUrl = require("node:url").pathToFileURL(__filename).href;',
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash("sha256")
      .update(version)
      .update("\0")
      .update(filename)
      .update("\0")
      .update(source)
      .digest("hex");
  },
};
