import { eventBridgeId, ingestHandler } from "../shared/runtime/handler";
import { MediaConvertJobStateChangeSchema } from "./mediaconvert-event";
import { handleJobEventConfig } from "./env";
import { handleJobEvent } from "./handle-job-event";

/**
 * Target of the EventBridge rule on "MediaConvert Job State Change" events of this stack's jobs
 * (invoked asynchronously: a thrown error is retried by Lambda, then lands on the on-failure destination).
 * Its environment: env.ts.
 */
export const handler = ingestHandler(
  MediaConvertJobStateChangeSchema,
  (event) => handleJobEvent(event, handleJobEventConfig()),
  { correlationId: eventBridgeId },
);
