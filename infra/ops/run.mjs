// `npm run unpublish -- …`: bundles infra/ops/<command>.ts (TypeScript with extensionless imports, which plain
// Node.js cannot load) with esbuild into node_modules/.cache, then runs its `main(argv)` and exits with its code.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [command, ...args] = process.argv.slice(2);
const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outdir = join(repo, "node_modules", ".cache", "vod-ops");
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, `${command}.mjs`);

await build({
  entryPoints: [join(repo, "infra", "ops", `${command}.ts`)],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  banner: {
    js: 'import { createRequire as __opsCreateRequire } from "node:module"; const require = __opsCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
});
const { main } = await import(pathToFileURL(outfile).href);
process.exit(await main(args));
