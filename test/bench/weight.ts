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
 * only the SDK clients that handler constructs and the commands it sends, built and loaded the same way
 * in the same run: the irreducible part. (Commands count since the bundles keep only the schemas of the
 * operations a handler calls, infra/lib/schema-keys.ts: CreateJob's alone is ~70 KB of MediaConvert's.)
 * The clients and commands a handler uses are read from its bundle's source map, counting only the
 * client packages this repository depends on directly, so clients the SDK's credential chain pulls in
 * (STS, SSO) are not counted as the handler's. Timings on a shared machine: compare within one run, not across machines.
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

/** Issue 12's targets: every bundle ≤ 0.5× its size then and ≤ 520 KB; cold init ≤ 1.3× its SDK clients' and commands'. */
export const WEIGHT_TARGETS = { shareOfIssue12: 0.5, bytes: 520_000, initOverClients: 1.3 } as const;

export interface Weight {
  readonly folder: string;
  /** The SDK clients it constructs, each with the commands it sends: `SFNClient: SendTaskSuccess`. */
  readonly sdk: string;
  readonly bundle: Bundle;
  readonly sdkModule: Bundle;
  readonly initMs: number[];
  readonly sdkInitMs: number[];
}

/** The SDK client packages this repository depends on (package.json), plus the document client. */
const CLIENT_PACKAGES = new Set(
  Object.keys(packageJson.dependencies).filter(
    (name) => name.startsWith("@aws-sdk/client-") || name === "@aws-sdk/lib-dynamodb",
  ),
);

/** An SDK export a handler uses: a client class or a command class, and the package it comes from. */
interface SdkExport {
  readonly pkg: string;
  readonly name: string;
}

/**
 * The SDK client classes and command classes of a direct dependency in the bundle, read from its source
 * map: `node_modules/@aws-sdk/client-x/dist-es/XClient.js` and `.../dist-es/commands/YCommand.js`.
 */
function sdkIn(bundle: Bundle): { clients: SdkExport[]; commands: SdkExport[] } {
  const sources = (JSON.parse(bundle.sourceMap) as { sources: string[] }).sources;
  const found = { clients: new Map<string, SdkExport>(), commands: new Map<string, SdkExport>() };
  for (const source of sources) {
    const match =
      /(?:^|\/)node_modules\/(@aws-sdk\/[a-z0-9-]+)\/dist-es\/(commands\/)?([A-Za-z0-9]+(?:Client|Command))\.js$/.exec(
        source,
      );
    // A nested copy (node_modules/@aws-sdk/x/node_modules/@aws-sdk/client-sts) is part of x, not a client we build.
    const [, pkg, commandsDir, name] = match ?? [];
    if (pkg === undefined || name === undefined || !CLIENT_PACKAGES.has(pkg)) continue;
    if (source.split("node_modules/").length > 2) continue;
    const kind = commandsDir === undefined ? found.clients : found.commands;
    if (name.endsWith(commandsDir === undefined ? "Client" : "Command"))
      kind.set(`${pkg}#${name}`, { pkg, name });
  }
  const sorted = (map: Map<string, SdkExport>) =>
    [...map.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { clients: sorted(found.clients), commands: sorted(found.commands) };
}

/** `SFNClient: SendTaskFailure, SendTaskSuccess; SQSClient` — a client's commands are those of its package. */
function describeSdk({ clients, commands }: { clients: SdkExport[]; commands: SdkExport[] }): string {
  return clients
    .map(({ pkg, name }) => {
      const sent = commands
        .filter((command) => command.pkg === pkg)
        .map((command) => command.name.replace(/Command$/, ""));
      return sent.length === 0 ? name : `${name}: ${sent.join(", ")}`;
    })
    .join("; ");
}

/**
 * A module that builds those clients, with the credentials the handlers' clients use
 * (functions/shared/runtime/credentials.ts), and holds the command classes the handler sends — the SDK
 * code a handler cannot do without, each command with its operation's schema — and nothing else,
 * bundled as infra bundles a handler. It is written inside the repository (node_modules/.cache) so
 * esbuild resolves the SDK packages from node_modules.
 */
async function sdkBundle(
  folder: string,
  sdk: { clients: SdkExport[]; commands: SdkExport[] },
): Promise<Bundle> {
  const { clients, commands } = sdk;
  const credentialsModule = path.join(FUNCTIONS_DIR, "shared", "runtime", "credentials");
  const lines = [
    `import { credentials } from ${JSON.stringify(credentialsModule)};`,
    ...clients.map(({ pkg, name }) => `import { ${name} } from "${pkg}";`),
    // Aliased: the document client's commands and a client's could share a name.
    ...commands.map(({ pkg, name }, i) => `import { ${name} as command${i} } from "${pkg}";`),
  ];
  const hasDocument = clients.some(({ name }) => name === "DynamoDBDocumentClient");
  if (hasDocument && !clients.some(({ name }) => name === "DynamoDBClient")) {
    lines.push('import { DynamoDBClient } from "@aws-sdk/client-dynamodb";');
  }
  // The document client wraps the DynamoDB client, as in shared/runtime/clients.ts.
  const built = clients
    .filter(({ name }) => !(hasDocument && name === "DynamoDBClient"))
    .map(({ name }) =>
      name === "DynamoDBDocumentClient"
        ? "DynamoDBDocumentClient.from(new DynamoDBClient({ credentials }))"
        : `new ${name}({ credentials })`,
    );
  const dir = path.join(FUNCTIONS_DIR, "..", "node_modules", ".cache", "vod-bench");
  mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, `sdk-${folder}.ts`);
  writeFileSync(
    entry,
    `${lines.join("\n")}\nexport const clients = [${built.join(", ")}];\n` +
      `export const commands = [${commands.map((_, i) => `command${i}`).join(", ")}];\n`,
  );
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
      const sdk = sdkIn(bundle);
      weights.push({
        folder,
        sdk: describeSdk(sdk),
        bundle,
        sdkModule: await sdkBundle(folder, sdk),
        initMs: [],
        sdkInitMs: [],
      });
    }
    const dirs = weights.map((w) => ({
      handler: writeModule(path.join(work, w.folder, "handler"), w.bundle),
      clients: writeModule(path.join(work, w.folder, "clients"), w.sdkModule),
    }));
    for (let run = 0; run < runs; run++) {
      weights.forEach((w, i) => {
        w.initMs.push(importMs(dirs[i]!.handler));
        w.sdkInitMs.push(importMs(dirs[i]!.clients));
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
    `| handler |${invocations ? " invocations |" : ""} bundle KB | ÷ at issue 12 | cold init ms | SDK clients and commands: KB | ms | init ÷ SDK | targets | clients: commands |`,
  );
  console.log(`|---|${invocations ? "---:|" : ""}---:|---:|---:|---:|---:|---:|---|---|`);
  for (const w of weights) {
    const init = median(w.initMs);
    const sdkInit = median(w.sdkInitMs);
    const share = w.bundle.bytes / 1000 / BYTES_AT_ISSUE_12_KB[w.folder as FunctionFolder];
    const ok =
      share <= WEIGHT_TARGETS.shareOfIssue12 &&
      w.bundle.bytes <= WEIGHT_TARGETS.bytes &&
      init / sdkInit <= WEIGHT_TARGETS.initOverClients;
    met &&= ok;
    console.log(
      `| ${w.folder} |${invocations ? ` ${invocations[w.folder] ?? 0} |` : ""} ${kb(w.bundle.bytes)} | ` +
        `${share.toFixed(2)} | ${init.toFixed(0)} | ${kb(w.sdkModule.bytes)} | ${sdkInit.toFixed(0)} | ` +
        `${(init / sdkInit).toFixed(2)} | ${ok ? "ok" : "MISSED"} | ${w.sdk} |`,
    );
  }
  console.log(
    `\ntargets: bundle <= ${WEIGHT_TARGETS.shareOfIssue12}x its size at issue 12 and <= ${WEIGHT_TARGETS.bytes / 1000} KB; ` +
      `init <= ${WEIGHT_TARGETS.initOverClients}x its SDK clients and commands alone`,
  );
  return met;
}
