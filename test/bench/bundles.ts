import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { bundleHandler, FUNCTIONS_DIR, type Bundle } from "../../infra/lib/bundle";
import packageJson from "../../package.json";
import { FUNCTION_FOLDERS, handlerEnvironment, runnerNames } from "../runner/runner";

/**
 * Handler weight (issue 12, item 3): for every Lambda, the bundle infra deploys (infra/lib/bundle.ts,
 * the same function `pulumi up` calls) — its size and its cold init (the time an ES-module `import` of
 * it takes in a fresh Node.js process, the part of a Lambda cold start the code controls) — next to a
 * bundle holding only the SDK clients that handler constructs, built and loaded the same way in the
 * same run: the irreducible part. The clients a handler uses are read from its bundle's source map
 * (`node_modules/@aws-sdk/client-x/dist-es/XClient.js`), counting only the client packages this
 * repository depends on directly, so clients the SDK's credential chain pulls in (STS, SSO) are not
 * counted as the handler's.
 *
 * Usage: npm run bench:bundles [-- --runs 10]
 * Timings on a shared 2-core machine: compare within one run, not across machines.
 */

const RUNS = Number(flag("--runs") ?? 10);

interface Weight {
  readonly folder: string;
  readonly clients: readonly string[];
  readonly bundle: Bundle;
  readonly clientsBundle: Bundle;
  readonly initMs: number[];
  readonly clientsInitMs: number[];
}

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** The SDK client packages this repository depends on (package.json), plus the document client. */
const CLIENT_PACKAGES = new Set(
  Object.keys(packageJson.dependencies).filter(
    (name) => name.startsWith("@aws-sdk/client-") || name === "@aws-sdk/lib-dynamodb",
  ),
);

/** `{ package, className }` for every SDK client class of a direct dependency in the bundle. */
function clientsIn(bundle: Bundle): { pkg: string; className: string }[] {
  const sources = (JSON.parse(bundle.sourceMap) as { sources: string[] }).sources;
  const found = new Map<string, { pkg: string; className: string }>();
  for (const source of sources) {
    const match = /(?:^|\/)node_modules\/(@aws-sdk\/[a-z0-9-]+)\/dist-es\/([A-Za-z0-9]+Client)\.js$/.exec(
      source,
    );
    // A nested copy (node_modules/@aws-sdk/x/node_modules/@aws-sdk/client-sts) is part of x, not a client we build.
    if (match?.[1] !== undefined && match[2] !== undefined && CLIENT_PACKAGES.has(match[1])) {
      const nested = source.split("node_modules/").length > 2;
      if (!nested) found.set(match[2], { pkg: match[1], className: match[2] });
    }
  }
  return [...found.values()].sort((a, b) => a.className.localeCompare(b.className));
}

/**
 * A module that builds those clients and nothing else, with the credentials the handlers' clients use
 * (functions/shared/runtime/credentials.ts), bundled as infra bundles a handler. It is written inside
 * the repository (node_modules/.cache) so esbuild resolves the SDK packages from node_modules.
 */
function clientsBundle(folder: string, clients: { pkg: string; className: string }[]): Bundle {
  const credentialsModule = path.join(FUNCTIONS_DIR, "shared", "runtime", "credentials");
  const lines = [
    `import { credentials } from ${JSON.stringify(credentialsModule)};`,
    ...clients.map(({ pkg, className }) => `import { ${className} } from "${pkg}";`),
  ];
  const hasDocument = clients.some(({ className }) => className === "DynamoDBDocumentClient");
  if (hasDocument && !clients.some(({ className }) => className === "DynamoDBClient")) {
    lines.push('import { DynamoDBClient } from "@aws-sdk/client-dynamodb";');
  }
  // The document client wraps the DynamoDB client, as in shared/runtime/clients.ts.
  const built = clients
    .filter(({ className }) => !(hasDocument && className === "DynamoDBClient"))
    .map(({ className }) =>
      className === "DynamoDBDocumentClient"
        ? "DynamoDBDocumentClient.from(new DynamoDBClient({ credentials }))"
        : `new ${className}({ credentials })`,
    );
  const dir = path.join(FUNCTIONS_DIR, "..", "node_modules", ".cache", "vod-bench");
  mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, `clients-${folder}.ts`);
  writeFileSync(entry, `${lines.join("\n")}\nexport const clients = [${built.join(", ")}];\n`);
  return bundleHandler(entry);
}

/** What a handler finds in its environment: the variables the runner (and burst.ts) give it. */
const IMPORT_ENV = {
  PATH: process.env.PATH ?? "",
  ...handlerEnvironment(runnerNames("vod-bench"), "http://127.0.0.1:1", {}, 1440),
};

/** Milliseconds one fresh `node` process spends importing the module, as Lambda loads it. */
function importMs(dir: string): number {
  const out = execFileSync(
    process.execPath,
    [
      "--enable-source-maps",
      "--input-type=module",
      "-e",
      'const t0 = performance.now(); await import("./index.mjs"); process.stdout.write(String(performance.now() - t0));',
    ],
    { cwd: dir, env: IMPORT_ENV, encoding: "utf8" },
  );
  return Number(out);
}

function writeModule(dir: string, bundle: Bundle): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "index.mjs"), bundle.code);
  writeFileSync(path.join(dir, "index.mjs.map"), bundle.sourceMap);
  return dir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const kb = (bytes: number): string => (bytes / 1000).toFixed(0);

function main(): void {
  const work = mkdtempSync(path.join(tmpdir(), "vod-bench-bundles-"));
  try {
    const weights: Weight[] = FUNCTION_FOLDERS.map((folder) => {
      const bundle = bundleHandler(path.join(FUNCTIONS_DIR, folder, "handler.ts"));
      const clients = clientsIn(bundle);
      return {
        folder,
        clients: clients.map((c) => c.className),
        bundle,
        clientsBundle: clientsBundle(folder, clients),
        initMs: [],
        clientsInitMs: [],
      };
    });
    const dirs = weights.map((w) => ({
      handler: writeModule(path.join(work, w.folder, "handler"), w.bundle),
      clients: writeModule(path.join(work, w.folder, "clients"), w.clientsBundle),
    }));
    // Interleaved so a burst of load on the shared machine hits every handler alike.
    for (let run = 0; run < RUNS; run++) {
      weights.forEach((w, i) => {
        w.initMs.push(importMs(dirs[i]!.handler));
        w.clientsInitMs.push(importMs(dirs[i]!.clients));
      });
    }
    console.log(`Handler weight: bundle KB (1000 B) and cold init ms (median of ${RUNS} fresh processes)\n`);
    console.log(
      "| handler | bundle KB | cold init ms | SDK clients alone: KB | ms | init ÷ clients | clients |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---|");
    for (const w of weights) {
      const init = median(w.initMs);
      const clientsInit = median(w.clientsInitMs);
      console.log(
        `| ${w.folder} | ${kb(w.bundle.bytes)} | ${init.toFixed(0)} | ${kb(w.clientsBundle.bytes)} | ` +
          `${clientsInit.toFixed(0)} | ${(init / clientsInit).toFixed(2)} | ${w.clients.join(", ")} |`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
