import { ingestHandler } from "../shared/runtime/handler";
import { submitJobConfig } from "./env";
import { TranscodeRequestSchema } from "./schema";
import { submitJob } from "./submit-job";

/**
 * The "Transcode To CMAF" task (`lambda:invoke.waitForTaskToken`). Throttling from CreateJob or DynamoDB
 * leaves as `Vod.ServiceBusy` (shared/runtime/handler.ts), which the Task's retrier retries with backoff.
 */
export const handler = ingestHandler(TranscodeRequestSchema, (request) =>
  submitJob(request, submitJobConfig()),
);
