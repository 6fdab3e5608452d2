/**
 * What the Pulumi program registers, as data: every resource's URN (type chain + logical name),
 * parent, options the engine acts on (dependencies, aliases, protect, …) and inputs, plus the stack
 * outputs — dumped under the repository's mocks (test/pulumi/mocks.ts), sorted and free of
 * machine-specific values, so two revisions can be compared. Pulumi replaces a resource when its
 * URN changes, and updates or replaces it when an input does: equal dumps mean `pulumi up` after a
 * refactor changes nothing for a stack that is already deployed.
 *
 * - `dump --root <dir> [--out <file>]`: the program in `<dir>/infra/index.ts` (default: this
 *   checkout), as JSON on stdout or in `<file>`.
 * - `diff --base <rev> [--head <rev>]`: checks `<rev>` out into a temporary git worktree (sharing
 *   this checkout's node_modules), dumps it and this working tree (or `--head`) in separate
 *   processes (Pulumi's runtime state is global), prints every difference, exits 1 when there is one.
 *
 * Why no committed baseline: a stored dump is a whole-stack snapshot that goes stale with every
 * intended change; regenerating the "before" side from a revision compares against the truth.
 *
 * Stable values: the checkout's absolute path is written `<root>`; a Lambda deployment package
 * (the esbuild bundle, which changes whenever any imported handler module does) is kept as its file
 * names plus a sha256 of each file. `diff` reports changed packages in their own section: a new
 * package updates the function's code in place and never replaces it, so it does not fail the diff.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { outputOf, setupPulumiMocks } from "../pulumi/mocks";

const REPO = path.resolve(__dirname, "..", "..");

/** One registered resource, as the engine identifies and configures it. */
export interface DumpedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The parent's URN; undefined for a resource at the top of the stack. */
  readonly parent: string | undefined;
  readonly custom: boolean;
  readonly options: Readonly<Record<string, unknown>>;
  readonly inputs: unknown;
}

export interface ResourceDump {
  readonly resources: readonly DumpedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** The parts of the mock monitor's RegisterResourceRequest (protobuf) read here. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): unknown;
  getDependenciesList(): string[];
  getAliasesList(): { toObject(): unknown }[];
  getProtect(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getDeletebeforereplace(): boolean;
  getRetainondelete(): boolean;
  getProvider(): string;
  getImportid(): string;
  getAdditionalsecretoutputsList(): string[];
}

interface MockMonitor {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: unknown): Promise<void>;
}

/** Runs the program in `root` under the mocks and returns what it registered (call once per process). */
export async function dumpProgram(root: string): Promise<ResourceDump> {
  const mocks = setupPulumiMocks();
  const captured = new Map<string, Omit<DumpedResource, "inputs"> & { inputs: Promise<unknown> }>();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module, no typings export
  const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): MockMonitor };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module, no typings export
  const rpc = require("@pulumi/pulumi/runtime/rpc") as { deserializeProperties(o: unknown): unknown };
  const monitor = settings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
    if (captured.has(urn)) throw new Error(`two resources with URN ${urn}`);
    captured.set(urn, {
      urn,
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || undefined,
      custom: req.getCustom(),
      options: {
        dependsOn: [...req.getDependenciesList()].sort(),
        aliases: req.getAliasesList().map((alias) => alias.toObject()),
        protect: req.getProtect(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        retainOnDelete: req.getRetainondelete(),
        provider: req.getProvider(),
        importId: req.getImportid(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      },
      inputs: Promise.resolve(rpc.deserializeProperties(req.getObject())),
    });
    return register(req, callback);
  };

  // Loaded only now: the program registers resources as it loads, and the mocks must be in place.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
  const program = require(path.join(root, "infra", "index.ts")) as Record<string, pulumi.Input<unknown>>;
  await mocks.settle();

  const stable = (value: unknown) => stabilise(value, root);
  const resources: DumpedResource[] = [];
  for (const entry of captured.values())
    resources.push({ ...entry, inputs: await stable(await entry.inputs) });
  resources.sort((a, b) => compare(a.urn, b.urn));
  const outputs: Record<string, unknown> = {};
  for (const key of Object.keys(program).sort()) outputs[key] = await stable(await outputOf(program[key]!));
  return { resources, outputs };
}

/**
 * PEM blocks written `<PEM …>`: the mocks make a fresh RSA key pair per process for
 * `tls.PrivateKey` (test/pulumi/mocks.ts `testKeyPair`), where a deployed stack keeps the one in its
 * state, so two dumps would otherwise always differ in the key and everything derived from it.
 */
const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----(\\n|\n)?/g;

/**
 * `value` with object keys sorted, `root` written `<root>`, mock-generated key material written
 * `<PEM …>`, and archives and assets reduced to their file names and content hashes. Array order is
 * kept (it is meaningful to most providers).
 */
export async function stabilise(value: unknown, root: string): Promise<unknown> {
  if (typeof value === "string")
    return value
      .split(root)
      .join("<root>")
      .replace(PEM_BLOCK, (_block, type: string) => `<PEM ${type}>`);
  if (Array.isArray(value)) return Promise.all(value.map((v) => stabilise(v, root)));
  if (value === null || typeof value !== "object") return value;
  if (pulumi.asset.AssetArchive.isInstance(value))
    return { archive: await archiveFingerprint(value as pulumi.asset.AssetArchive, root) };
  if (pulumi.asset.Asset.isInstance(value))
    return { asset: await assetFingerprint(value as pulumi.asset.Asset, root) };
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort(compare)) out[key] = await stabilise(record[key], root);
  return out;
}

async function archiveFingerprint(
  archive: pulumi.asset.AssetArchive,
  root: string,
): Promise<Record<string, unknown>> {
  const assets = await archive.assets;
  const out: Record<string, unknown> = {};
  for (const file of Object.keys(assets).sort(compare)) out[file] = await stabilise(assets[file], root);
  return out;
}

async function assetFingerprint(asset: pulumi.asset.Asset, root: string): Promise<string> {
  const { text, path: file, uri } = asset as unknown as { text?: unknown; path?: unknown; uri?: unknown };
  const [t, p, u] = await Promise.all([text, file, uri]);
  if (typeof t === "string") {
    // esbuild names bundled modules by their path relative to the checkout; a worktree's
    // node_modules is a link to this checkout's, which esbuild follows to its real path.
    const linked = path.join(root, "node_modules");
    const modules = existsSync(linked) ? path.relative(root, realpathSync(linked)) : "node_modules";
    const text = t.split(modules + "/").join("node_modules/");
    return `text sha256:${sha256(text)} (${Buffer.byteLength(text)} bytes)`;
  }
  if (typeof p === "string") return `file ${p.split(root).join("<root>")}`;
  if (typeof u === "string") return `uri ${u}`;
  throw new Error(`asset of unknown kind: ${JSON.stringify(Object.keys(asset))}`);
}

/** Every difference between two dumps, as lines; code packages that differ are reported apart. */
export function diffDumps(
  before: ResourceDump,
  after: ResourceDump,
): { differences: string[]; packages: string[] } {
  const differences: string[] = [];
  const packages: string[] = [];
  const index = (dump: ResourceDump) => new Map(dump.resources.map((r) => [r.urn, r]));
  const a = index(before);
  const b = index(after);
  for (const urn of a.keys()) if (!b.has(urn)) differences.push(`- removed ${urn}`);
  for (const urn of b.keys()) if (!a.has(urn)) differences.push(`+ added   ${urn}`);
  for (const [urn, old] of a) {
    const now = b.get(urn);
    if (now === undefined) continue;
    for (const field of ["parent", "custom", "options"] as const) {
      if (json(old[field]) !== json(now[field]))
        differences.push(`~ ${urn} ${field}: ${json(old[field])} → ${json(now[field])}`);
    }
    const oldInputs = old.inputs as Record<string, unknown>;
    const newInputs = now.inputs as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])].sort(compare)) {
      const was = json(oldInputs[key]);
      const is = json(newInputs[key]);
      if (was === is) continue;
      const line = `~ ${urn} inputs.${key}: ${was} → ${is}`;
      if (old.type === "aws:lambda/function:Function" && key === "code" && isArchive(oldInputs[key])) {
        packages.push(`~ ${urn} code: ${is}`);
      } else differences.push(line);
    }
  }
  for (const key of [...new Set([...Object.keys(before.outputs), ...Object.keys(after.outputs)])].sort()) {
    if (json(before.outputs[key]) !== json(after.outputs[key]))
      differences.push(`~ output ${key}: ${json(before.outputs[key])} → ${json(after.outputs[key])}`);
  }
  return { differences, packages };
}

function isArchive(value: unknown): boolean {
  return typeof value === "object" && value !== null && "archive" in value;
}

/** Dumps `root` in a child process (the Pulumi runtime can run one program per process). */
function dumpInChild(root: string, out: string): ResourceDump {
  const result = spawnSync(
    process.execPath,
    [path.join(__dirname, "run.js"), "dump", "--root", root, "--out", out],
    {
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (result.status !== 0) throw new Error(`dumping ${root} failed (exit ${result.status})`);
  return JSON.parse(readFileSync(out, "utf8")) as ResourceDump;
}

/** A checkout of `rev` in a temporary worktree that shares this checkout's node_modules. */
function worktree(rev: string): { dir: string; remove(): void } {
  const parent = mkdtempSync(path.join(tmpdir(), "vod-resources-"));
  const dir = path.join(parent, "tree");
  execFileSync("git", ["-C", REPO, "worktree", "add", "--detach", "--quiet", dir, rev], { stdio: "inherit" });
  symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  return {
    dir,
    remove() {
      execFileSync("git", ["-C", REPO, "worktree", "remove", "--force", dir]);
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Entry point (test/resources/run.js); resolves to the process exit code. */
export async function main(args: string[]): Promise<number> {
  const [command] = args;
  if (command === "dump") {
    const root = path.resolve(option(args, "--root") ?? REPO);
    const text = `${JSON.stringify(await dumpProgram(root), null, 2)}\n`;
    const out = option(args, "--out");
    if (out === undefined) process.stdout.write(text);
    else writeFileSync(out, text);
    return 0;
  }
  if (command === "diff") {
    const base = option(args, "--base");
    if (base === undefined) throw new Error("usage: diff --base <rev> [--head <rev>]");
    const head = option(args, "--head");
    const trees = [worktree(base), ...(head === undefined ? [] : [worktree(head)])];
    try {
      const scratch = path.dirname(trees[0]!.dir);
      const before = dumpInChild(trees[0]!.dir, path.join(scratch, "before.json"));
      const after = dumpInChild(trees[1]?.dir ?? REPO, path.join(scratch, "after.json"));
      const { differences, packages } = diffDumps(before, after);
      const against = head ?? "the working tree";
      console.log(
        `${before.resources.length} resources at ${base}, ${after.resources.length} in ${against}; ` +
          `${Object.keys(after.outputs).length} stack outputs compared`,
      );
      if (packages.length > 0) {
        console.log(`Lambda code packages that differ (updated in place, never replaced):`);
        for (const line of packages) console.log(`  ${line}`);
      }
      if (differences.length === 0) {
        console.log("same URNs, parents, options and inputs");
        return 0;
      }
      console.log(`${differences.length} differences:`);
      for (const line of differences) console.log(`  ${line}`);
      return 1;
    } finally {
      for (const tree of trees) tree.remove();
    }
  }
  throw new Error("usage: run.js dump [--root <dir>] [--out <file>] | diff --base <rev> [--head <rev>]");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
