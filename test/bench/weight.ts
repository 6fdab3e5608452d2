import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { bundleHandler, FUNCTIONS_DIR, type Bundle } from "../../infra/lib/bundle";
import packageJson from "../../package.json";
import { FUNCTION_FOLDERS, handlerEnvironment, runnerNames, type FunctionFolder } from "../runner/runner";

/**
 * Handler weight (issue 12, item 3), shared by `npm run bench` and `npm run bench:bundles`: for every
 * Lambda, the bundle infra deploys (infra/lib/bundle.ts, the same function `pulumi up` calls, with the
 * default configuration) — its size and its cold init (the time an ES-module `import` of it takes in a
 * fresh Node.js process, the part of a Lambda cold start the code controls) — next to a bundle holding
 * only the SDK clients that handler constructs, built and loaded the same way in the same run: the
 * irreducible part. The clients a handler uses are read from its bundle's source map
 * (`node_modules/@aws-sdk/client-x/dist-es/XClient.js`), counting only the client packages this
 * repository depends on directly, so clients the SDK's credential chain pulls in (STS, SSO) are not
 * counted as the handler's. Timings on a shared machine: compare within one run, not across machines.
 */

/**
 * Each bundle's size when issue 12 was filed, KB (1,000 B), measured by this bench on the filing commit
 * (README, "Handler weight", first column): the base of the "≤ 0.5× today's" target.
 */
export const BYTES_AT_ISSUE_12_KB: Readonly<Record<FunctionFolder, number>> = {
  "claim-upload": 1215,
  "submit-job": 1216,
  "handle-job-event": 1011,
  "reconcile-jobs": 1113,
  "register-asset": 1522,
  "record-failure": 1045,
  "mint-playback-session": 1000,
};

/** Issue 12's targets: every bundle ≤ 0.5× its size then and ≤ 520 KB; cold init ≤ 1.3× its SDK clients'. */
export const WEIGHT_TARGETS = { shareOfIssue12: 0.5, bytes: 520_000, initOverClients: 1.3 } as const;

export interface Weight {
  readonly folder: string;
  readonly clients: readonly string[];
  readonly bundle: Bundle;
  readonly clientsBundle: Bundle;
  readonly initMs: number[];
  readonly clientsInitMs: number[];
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
async function clientsBundle(folder: string, clients: { pkg: string; className: string }[]): Promise<Bundle> {
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

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Every handler weighed, `runs` fresh imports each, interleaved so a burst of load hits all alike. */
export async function measureWeights(runs: number): Promise<Weight[]> {
  const work = mkdtempSync(path.join(tmpdir(), "vod-bench-bundles-"));
  try {
    const weights: Weight[] = [];
    for (const folder of FUNCTION_FOLDERS) {
      const bundle = await bundleHandler(path.join(FUNCTIONS_DIR, folder, "handler.ts"));
      const clients = clientsIn(bundle);
      weights.push({
        folder,
        clients: clients.map((c) => c.className),
        bundle,
        clientsBundle: await clientsBundle(folder, clients),
        initMs: [],
        clientsInitMs: [],
      });
    }
    const dirs = weights.map((w) => ({
      handler: writeModule(path.join(work, w.folder, "handler"), w.bundle),
      clients: writeModule(path.join(work, w.folder, "clients"), w.clientsBundle),
    }));
    for (let run = 0; run < runs; run++) {
      weights.forEach((w, i) => {
        w.initMs.push(importMs(dirs[i]!.handler));
        w.clientsInitMs.push(importMs(dirs[i]!.clients));
      });
    }
    return weights;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const kb = (bytes: number): string => (bytes / 1000).toFixed(0);

/**
 * Prints the weights as a Markdown table with issue 12's verdicts, and returns whether every target is
 * met. `invocations`, when given, adds how often the burst invoked each function.
 */
export function printWeights(
  weights: readonly Weight[],
  invocations?: Readonly<Record<string, number>>,
): boolean {
  let met = true;
  console.log(
    `Handler weight: bundle KB (1000 B) and cold init ms (median of ${weights[0]?.initMs.length ?? 0} fresh processes)\n`,
  );
  console.log(
    `| handler |${invocations ? " invocations |" : ""} bundle KB | ÷ at issue 12 | cold init ms | SDK clients alone: KB | ms | init ÷ clients | targets | clients |`,
  );
  console.log(`|---|${invocations ? "---:|" : ""}---:|---:|---:|---:|---:|---:|---|---|`);
  for (const w of weights) {
    const init = median(w.initMs);
    const clientsInit = median(w.clientsInitMs);
    const share = w.bundle.bytes / 1000 / BYTES_AT_ISSUE_12_KB[w.folder as FunctionFolder];
    const ok =
      share <= WEIGHT_TARGETS.shareOfIssue12 &&
      w.bundle.bytes <= WEIGHT_TARGETS.bytes &&
      init / clientsInit <= WEIGHT_TARGETS.initOverClients;
    met &&= ok;
    console.log(
      `| ${w.folder} |${invocations ? ` ${invocations[w.folder] ?? 0} |` : ""} ${kb(w.bundle.bytes)} | ` +
        `${share.toFixed(2)} | ${init.toFixed(0)} | ${kb(w.clientsBundle.bytes)} | ${clientsInit.toFixed(0)} | ` +
        `${(init / clientsInit).toFixed(2)} | ${ok ? "ok" : "MISSED"} | ${w.clients.join(", ")} |`,
    );
  }
  console.log(
    `\ntargets: bundle <= ${WEIGHT_TARGETS.shareOfIssue12}x its size at issue 12 and <= ${WEIGHT_TARGETS.bytes / 1000} KB; ` +
      `init <= ${WEIGHT_TARGETS.initOverClients}x its SDK clients alone`,
  );
  return met;
}
