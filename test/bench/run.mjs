// `npm run bench`: bundles test/bench/burst.ts (TypeScript with extensionless imports, which plain
// Node.js cannot load) with esbuild into node_modules/.cache, then runs it. Needs Node.js >= 22
// (the runner's engine, aws-local-stepfunctions, calls Promise.withResolvers). Arguments after
// `--` go to the bench: `npm run bench -- --titles 200`. A first argument naming another bench in
// this folder runs that one instead: `node test/bench/run.mjs playback` (`npm run bench:playback`,
// `npm run bench:bundles`).
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const major = Number(process.versions.node.split(".")[0]);
if (!(major >= 22)) {
  console.error(
    `npm run bench needs Node.js 22 or newer (aws-local-stepfunctions calls Promise.withResolvers); ` +
      `this is ${process.version}. In this repository: \`. .ci/node.sh && npm run bench\`.`,
  );
  process.exit(1);
}

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outdir = join(repo, "node_modules", ".cache", "vod-bench");
mkdirSync(outdir, { recursive: true });
const BENCHES = ["burst", "playback", "bundles"];
const bench = BENCHES.includes(process.argv[2]) ? process.argv.splice(2, 1)[0] : "burst";
const outfile = join(outdir, `${bench}.mjs`);

await build({
  entryPoints: [join(repo, "test", "bench", `${bench}.ts`)],
  outfile,
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  // Dependencies load from node_modules as usual; only this repository's TypeScript is bundled.
  packages: "external",
  // infra/lib/{asl,bundle}.ts locate the ASL and functions/ from their own __dirname, which a bundle
  // does not have: give them theirs.
  define: { __dirname: JSON.stringify(join(repo, "infra", "lib")) },
  // Bundled CommonJS-style `require` calls (the runner loads handlers lazily) need a real require.
  banner: {
    js: 'import { createRequire as __benchCreateRequire } from "node:module"; const require = __benchCreateRequire(import.meta.url);',
  },
  sourcemap: "inline",
  logLevel: "warning",
});

process.setSourceMapsEnabled(true);
await import(pathToFileURL(outfile).href);
