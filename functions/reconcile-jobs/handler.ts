import * as z from "zod/mini";
import { eventBridgeId, ingestHandler } from "../shared/runtime/handler";
import { metrics } from "../shared/runtime/powertools";
import { reconcileJobsConfig } from "./env";
import { reconcileJobs } from "./reconcile-jobs";

/** EventBridge Scheduler invokes this every `reconcileIntervalMinutes`; the payload carries nothing it needs. */
export const handler = ingestHandler(z.unknown(), () => reconcileJobs(reconcileJobsConfig()), {
  correlationId: eventBridgeId,
  metrics,
});
