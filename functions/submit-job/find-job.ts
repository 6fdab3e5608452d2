import { paginateListJobs } from "@aws-sdk/client-mediaconvert";
import { mediaConvert } from "../shared/runtime/clients";

/** Jobs created this long before the pending mark still count: the mark and CreateJob come from different clocks. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The job an earlier try of this attempt created without hearing back (CreateJob's response lost, or
 * submit-job died waiting for it), found by the `correlationId` in its userMetadata. ClientRequestToken
 * only dedupes for one minute, and a job waiting SUBMITTED sends no event that could name it, so this
 * is what stops a Task retry minutes later from creating a second job for the same title.
 *
 * ListJobs returns the queue's jobs newest first, 20 a page; the search stops at jobs older than
 * `pendingSince`, so it reads only what was submitted to the queue since the lost call.
 * https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html#jobsget
 *
 * @example await findJobOfAttempt("arn:aws:mediaconvert:eu-west-1:123456789012:queues/Default", "3f…", "2026-11-23T10:00:00.000Z")
 *   // "1700000000000-abc123", or undefined when that call created nothing
 */
export async function findJobOfAttempt(
  queueArn: string,
  correlationId: string,
  pendingSince: string,
): Promise<string | undefined> {
  const oldest = Date.parse(pendingSince) - CLOCK_SKEW_MS;
  const pages = paginateListJobs(
    { client: mediaConvert, pageSize: 20 },
    { Queue: queueName(queueArn), Order: "DESCENDING" },
  );
  for await (const page of pages) {
    for (const job of page.Jobs ?? []) {
      if (job.UserMetadata?.correlationId === correlationId && job.Id) return job.Id;
      if (job.CreatedAt && job.CreatedAt.getTime() < oldest) return undefined;
    }
  }
  return undefined;
}

/**
 * ListJobs filters by queue name ("Provide a queue name to get back only jobs from that queue").
 * @example queueName("arn:aws:mediaconvert:eu-west-1:123456789012:queues/Default") === "Default"
 */
export function queueName(queueArn: string): string {
  const name = /:queues\/([^/]+)$/.exec(queueArn)?.[1];
  if (!name) throw new Error(`not a MediaConvert queue ARN: ${queueArn}`);
  return name;
}
