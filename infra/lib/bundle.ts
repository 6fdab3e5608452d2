import * as path from "node:path";
import { build, type BuildOptions } from "esbuild";
import * as pulumi from "@pulumi/pulumi";
import { literalSchemaKeysPlugin } from "./schema-keys";

/** One bundled handler: the ES module Lambda loads, its source map, and the module's size in bytes. */
export interface Bundle {
  readonly code: string;
  readonly sourceMap: string;
  readonly bytes: number;
}

/**
 * Packages that are NOT bundled because the Lambda runtime provides them. Empty on purpose: the
 * `nodejs24.x` runtime ships an AWS SDK v3 pinned to a minor version AWS chooses per Region and
 * updates without notice (lambda-nodejs.html, "Runtime-included SDK versions"), and claim-upload
 * calls MediaConvert `Probe`, an operation newer than a pinned runtime SDK may know — as an ES
 * module, a missing export fails the whole module at load. Bundling makes the code that was
 * type-checked and tested the code that runs. The price is size: 285–507 KB per handler
 * (`npm run bench:bundles`), most of it the SDK clients a handler uses with their Smithy runtime
 * (only the schemas of the operations it calls: ./schema-keys.ts; our own schemas are on zod/mini,
 * which tree-shakes; the X-Ray SDK behind Powertools Tracer, ~135 KB, is in only with `traceAwsCalls`).
 */
export const EXTERNAL_PACKAGES: readonly string[] = [];

/** The directory `functions/` handlers live in, resolved from this file so `pulumi up` can run anywhere. */
export const FUNCTIONS_DIR = path.join(__dirname, "..", "..", "functions");

/**
 * Packages replaced in every bundle by a module of ours. The SDK's default credential chain becomes the
 * environment provider alone, the one a Lambda uses (functions/shared/runtime/default-credentials.ts).
 */
export const ALIASES: Readonly<Record<string, string>> = {
  "@aws-sdk/credential-provider-node": path.join(
    FUNCTIONS_DIR,
    "shared",
    "runtime",
    "default-credentials.ts",
  ),
};

/** How a bundle is built, from the stack's configuration. */
export interface BundleOptions {
  /**
   * Powertools Tracer and the X-Ray SDK in the bundle (config `traceAwsCalls`): fixed at build time
   * through `process.env.VOD_TRACE_AWS_CALLS` (functions/shared/runtime/tracing.ts). Default: false.
   */
  readonly traceAwsCalls?: boolean;
}

/**
 * Bundles one handler with esbuild into a single minified ES module for the Node.js 24 runtime.
 * CommonJS dependencies call `require` at run time, which an ES module lacks, so a banner defines
 * it with `createRequire`. The source map is external (`index.mjs.map`) and Lambda's
 * `NODE_OPTIONS=--enable-source-maps` (set in infra/functions.ts) maps stack traces back to TypeScript.
 * Each SDK client's schema file goes through {@link literalSchemaKeysPlugin} so that only the schemas
 * of the operations the handler calls stay in. Rejects with esbuild's messages when the entry does not
 * compile. Asynchronous because esbuild runs plugins only in its asynchronous API.
 *
 * @example bundleHandler("functions/claim-upload/handler.ts", { traceAwsCalls: true })
 */
export async function bundleHandler(entry: string, bundleOptions: BundleOptions = {}): Promise<Bundle> {
  const options: BuildOptions & { write: false; metafile: true } = {
    entryPoints: [path.resolve(entry)],
    outfile: "index.mjs",
    bundle: true,
    write: false,
    platform: "node",
    target: "node24",
    format: "esm",
    minify: true,
    sourcemap: "external",
    // Stack traces need only the mappings; embedding every dependency's source would triple the map.
    sourcesContent: false,
    // Source paths in the map are relative to the repository, not to the machine that ran `pulumi up`.
    absWorkingDir: path.join(FUNCTIONS_DIR, ".."),
    legalComments: "none",
    metafile: true,
    // Prefer the ES module build of dual packages (the AWS SDK, Powertools) so tree shaking works.
    mainFields: ["module", "main"],
    external: [...EXTERNAL_PACKAGES],
    alias: { ...ALIASES },
    define: {
      "process.env.VOD_TRACE_AWS_CALLS": JSON.stringify(String(bundleOptions.traceAwsCalls ?? false)),
    },
    banner: {
      js: 'import { createRequire as __vodCreateRequire } from "node:module"; const require = __vodCreateRequire(import.meta.url);',
    },
    plugins: [literalSchemaKeysPlugin],
    logLevel: "silent",
  };
  const result = await build(options);
  const code = result.outputFiles.find((file) => file.path.endsWith(".mjs"));
  const map = result.outputFiles.find((file) => file.path.endsWith(".mjs.map"));
  if (code === undefined || map === undefined) {
    throw new Error(`esbuild produced no index.mjs/index.mjs.map for ${entry}`);
  }
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  return { code: code.text, sourceMap: map.text, bytes: output?.bytes ?? code.contents.byteLength };
}

/**
 * The Lambda deployment package for one handler: `index.mjs` (so the handler setting is
 * `index.handler`) and its source map. Bundling happens while the Pulumi program runs, so
 * `pulumi up` needs no separate build step (ARCHITECTURE.md, decision 11). The archive takes the
 * bundle as a promise, which Pulumi awaits when it sends the function's inputs; a build error fails
 * that function's registration with esbuild's message.
 */
export function handlerArchive(entry: string, options: BundleOptions = {}): pulumi.asset.AssetArchive {
  const assets = bundleHandler(entry, options).then((bundle) => ({
    "index.mjs": new pulumi.asset.StringAsset(bundle.code),
    "index.mjs.map": new pulumi.asset.StringAsset(bundle.sourceMap),
  }));
  // Handled here so Node.js does not report it as unhandled before Pulumi gets to await the archive.
  assets.catch(() => undefined);
  return new pulumi.asset.AssetArchive(assets);
}
