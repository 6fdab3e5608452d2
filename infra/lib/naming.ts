/**
 * Physical names: the stack marker every named resource starts with, and names cut to a service's
 * length limit without losing uniqueness. Names are part of the public surface — changing what one
 * of these returns renames (replaces) deployed resources.
 */
import * as pulumi from "@pulumi/pulumi";

/** Lambda function names are at most 64 characters. */
export const LAMBDA_NAME_MAX = 64;

/** State machine names are at most 80 characters. */
export const STATE_MACHINE_NAME_MAX = 80;

/**
 * A stable value that identifies this stack in the account: `<project>-<stack>` reduced to
 * `[A-Za-z0-9_-]`. It names physical resources that need names and is the MediaConvert job
 * `userMetadata.stack` the job-event rule filters on (MediaConvert refuses some characters there).
 * @example stackMarker() === "vod-ingest-dev"
 */
export function stackMarker(): string {
  return sanitise(`${pulumi.getProject()}-${pulumi.getStack()}`);
}

/** `value` with every character outside `[A-Za-z0-9_-]` replaced by `-`. */
export function sanitise(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, "-");
}

/**
 * `<prefix>-<suffix>` within `max` characters: when too long, the prefix is cut and a short hash of
 * the whole name keeps it unique and stable.
 * @example physicalName("vod-ingest-dev", "claim-upload", 64) === "vod-ingest-dev-claim-upload"
 */
export function physicalName(prefix: string, suffix: string, max: number): string {
  const full = `${prefix}-${suffix}`;
  if (full.length <= max) return full;
  const hash = fnv1a(full).toString(16).padStart(8, "0");
  const keep = max - suffix.length - hash.length - 2;
  if (keep < 1) throw new Error(`Cannot fit "${full}" into ${max} characters`);
  return `${prefix.slice(0, keep)}-${hash}-${suffix}`;
}

/**
 * The physical name of the ingest state machine. Named (not auto-named) so that its ARN is known
 * before it exists: the functions that complete its tasks need that ARN, and it needs theirs.
 * @example ingestStateMachineName() === "vod-ingest-dev-ingest"
 */
export function ingestStateMachineName(): string {
  return physicalName(stackMarker(), "ingest", STATE_MACHINE_NAME_MAX);
}

function fnv1a(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}
