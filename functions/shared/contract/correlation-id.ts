import { createHash } from "node:crypto";

/**
 * Identifies one attempt of one execution: the same for Lambda and Task retries (so a retried submit finds
 * its job), different after a redrive (so a redriven, hung transcode gets a fresh job). 32 hex characters:
 * a valid MediaConvert `ClientRequestToken` (≤ 64 ASCII) and a valid userMetadata value.
 * @example correlationIdFor("arn:aws:states:eu-west-1:123456789012:execution:ingest:abc", 0) // "…32 hex…"
 */
export function correlationIdFor(executionArn: string, redriveCount: number): string {
  return createHash("sha256").update(`${executionArn}#${redriveCount}`).digest("hex").slice(0, 32);
}
