import { z } from "zod";
import { ingestHandler } from "../shared/runtime/handler";
import { reconcileJobsConfig } from "./env";
import { reconcileJobs } from "./reconcile-jobs";

/** EventBridge Scheduler invokes this every `reconcileIntervalMinutes`; the payload carries nothing it needs. */
export const handler = ingestHandler(z.unknown(), () => reconcileJobs(reconcileJobsConfig()));
