/**
 * `npm run unpublish -- <assetId> [--hard] [--table <name>] [--distribution-id <id>] [--stack <name>]`
 *
 * The operator's takedown (functions/mint-playback-session/unpublish-title.ts says what each mode does).
 * The table and distribution come from the flags, else from CATALOGUE_TABLE / CDN_DISTRIBUTION_ID, else from
 * `npx pulumi stack output --json` (outputs `catalogueTableName`, `cdnDistributionId`). AWS credentials and
 * Region come from the usual SDK sources (AWS_PROFILE, AWS_REGION, …): use the stack's Region.
 * Exit codes: 0 done, 2 usage or no such title, 1 an AWS error (printed).
 */
import { execFileSync } from "node:child_process";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { dynamo, mediaPackageVod } from "../../functions/shared/runtime/clients";
import {
  NoSuchTitleError,
  UnpublishUsageError,
  unpublishTitle,
  type UnpublishReport,
} from "../../functions/mint-playback-session/unpublish-title";

/** The command line, parsed (pure). */
export interface UnpublishArguments {
  readonly assetId: string;
  readonly hard: boolean;
  readonly table?: string;
  readonly distributionId?: string;
  readonly stack?: string;
}

export const USAGE =
  "usage: npm run unpublish -- <assetId> [--hard] [--table <name>] [--distribution-id <id>] [--stack <name>]";

export function parseArguments(argv: readonly string[]): UnpublishArguments {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  let hard = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === "--hard") hard = true;
    else if (arg === "--table" || arg === "--distribution-id" || arg === "--stack") {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--"))
        throw new UnpublishUsageError(`${arg} needs a value\n${USAGE}`);
      flags[arg] = value;
      i += 1;
    } else if (arg.startsWith("--")) throw new UnpublishUsageError(`unknown option ${arg}\n${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UnpublishUsageError(`expected one asset id\n${USAGE}`);
  return {
    assetId: positional[0]!,
    hard,
    ...(flags["--table"] && { table: flags["--table"] }),
    ...(flags["--distribution-id"] && { distributionId: flags["--distribution-id"] }),
    ...(flags["--stack"] && { stack: flags["--stack"] }),
  };
}

/** Flags win over the environment, which wins over the stack's outputs (read only when something is missing). */
export function resolveTargets(
  args: UnpublishArguments,
  env: NodeJS.ProcessEnv,
  stackOutputs: () => Record<string, unknown>,
): { tableName: string; distributionId?: string } {
  let outputs: Record<string, unknown> | undefined;
  const output = (name: string) => {
    outputs ??= stackOutputs();
    const value = outputs[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const tableName = args.table ?? env.CATALOGUE_TABLE ?? output("catalogueTableName");
  if (tableName === undefined)
    throw new UnpublishUsageError("no catalogue table: pass --table or set CATALOGUE_TABLE");
  const distributionId = args.hard
    ? (args.distributionId ?? env.CDN_DISTRIBUTION_ID ?? output("cdnDistributionId"))
    : args.distributionId;
  return { tableName, ...(distributionId && { distributionId }) };
}

/** One line per thing done, for the terminal. */
export function describeReport(report: UnpublishReport): string[] {
  const lines = [
    report.wasUnpublished
      ? `${report.assetId}: already unpublished at ${report.unpublishedAt}; no new sessions`
      : `${report.assetId}: unpublished at ${report.unpublishedAt}; no new sessions (minted cookies expire within COOKIE_TTL_SECONDS)`,
  ];
  if (report.packagingAsset)
    lines.push(`MediaPackage asset ${report.packagingAsset.id}: ${report.packagingAsset.outcome}`);
  if (report.invalidation)
    lines.push(`CloudFront invalidation ${report.invalidation.id}: ${report.invalidation.path}`);
  for (const skipped of report.skipped) lines.push(`skipped: ${skipped}`);
  return lines;
}

function pulumiStackOutputs(stack: string | undefined): Record<string, unknown> {
  const args = ["pulumi", "stack", "output", "--json", ...(stack ? ["--stack", stack] : [])];
  return JSON.parse(
    execFileSync("npx", args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }),
  ) as Record<string, unknown>;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArguments(argv);
    const targets = resolveTargets(args, process.env, () => pulumiStackOutputs(args.stack));
    const report = await unpublishTitle(
      // CloudFront's control plane is global; the SDK signs for us-east-1 whatever Region is configured.
      { dynamo, mediaPackageVod, cloudFront: new CloudFrontClient({}) },
      { assetId: args.assetId, hard: args.hard, ...targets, now: new Date() },
    );
    process.stdout.write(`${describeReport(report).join("\n")}\n`);
    return 0;
  } catch (error) {
    const usage = error instanceof UnpublishUsageError || error instanceof NoSuchTitleError;
    process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return usage ? 2 : 1;
  }
}
