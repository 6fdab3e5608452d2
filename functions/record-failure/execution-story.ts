import { TASK_STATES } from "../../statemachines/ingest-states";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import * as z from "zod/mini";
import { ObjectCreatedEventSchema } from "../shared/events/s3-object-created";

/**
 * What an execution's history (GetExecutionHistory, ascending, with execution data) tells the failure recorder.
 * Pure: no SDK calls. The history of a redriven execution holds every attempt, split by `ExecutionRedriven`
 * events; `readAttempt` looks at one attempt so a late event of an earlier attempt describes that attempt.
 */

/** The claimed source, as "Claim Upload" handed it on (shared/contract/workflow.ts `ClaimedUpload`, the parts we need). */
export interface ClaimedWork {
  readonly assetId: string;
  readonly revision: string;
  readonly source: SourceRef;
}

/** The source object an operator acts on. Before the claim it is the key as EventBridge delivered it. */
export interface SourceRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
}

export interface AttemptStory {
  /** Set when "Claim Upload" exited with outcome CLAIMED; absent for failures before the claim. */
  readonly claimed?: ClaimedWork;
  /** The state running (or last entered) in this attempt: the name of the last `…StateEntered` event. */
  readonly currentState?: string;
  /** Error and cause of this attempt's failure: the execution-level event, else the last task-level one. */
  readonly failure?: { readonly error?: string; readonly cause?: string };
  /** The execution input (the S3 "Object Created" event), from ExecutionStarted. */
  readonly executionInput?: string;
  /** How many times the execution has been redriven, as far as this history goes. */
  readonly redriveCount: number;
}

/** The state whose output is the claim: `{ claim: ClaimResult }` (statemachines/ingest.asl.json). */
export const CLAIM_STATE = TASK_STATES.claimUpload;

const ClaimStateOutputSchema = z.object({
  claim: z.object({
    outcome: z.literal("CLAIMED"),
    upload: z.object({
      assetId: z.string().check(z.minLength(1)),
      revision: z.string().check(z.minLength(1)),
      source: z.object({ bucket: z.string(), key: z.string(), versionId: z.string() }),
    }),
  }),
});

const EXECUTION_FAILURES = ["ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"] as const;

/**
 * Reads attempt `attempt` (its redriveCount: 0 for the first run) of the history: events up to the next
 * `ExecutionRedriven`. Without `attempt`, the latest attempt. The claim and the current state may come from an
 * earlier attempt (a redrive does not repeat succeeded states); the failure only from this one.
 */
export function readAttempt(events: readonly HistoryEvent[], attempt?: number): AttemptStory {
  let redrives = 0;
  let claimed: ClaimedWork | undefined;
  let currentState: string | undefined;
  let executionFailure: AttemptStory["failure"];
  let taskFailure: AttemptStory["failure"];
  let executionInput: string | undefined;

  for (const event of events) {
    if (event.type === "ExecutionRedriven") {
      const count = event.executionRedrivenEventDetails?.redriveCount ?? redrives + 1;
      if (attempt !== undefined && count > attempt) break;
      redrives = count;
      executionFailure = undefined;
      taskFailure = undefined;
      continue;
    }
    if (event.type === "ExecutionStarted") executionInput = event.executionStartedEventDetails?.input;
    if (event.type?.endsWith("StateEntered") && event.stateEnteredEventDetails?.name) {
      currentState = event.stateEnteredEventDetails.name;
    }
    if (event.type === "TaskStateExited" && event.stateExitedEventDetails?.name === CLAIM_STATE) {
      claimed = parseClaim(event.stateExitedEventDetails.output) ?? claimed;
    }
    const failure = failureOf(event);
    if (failure && (EXECUTION_FAILURES as readonly string[]).includes(event.type ?? ""))
      executionFailure = failure;
    else if (failure) taskFailure = failure;
  }

  return {
    claimed,
    currentState,
    failure: executionFailure ?? taskFailure,
    executionInput,
    redriveCount: redrives,
  };
}

/**
 * The source object named by the execution input, for failures before the claim. The input is the S3
 * "Object Created" event the EventBridge rule started the execution with; anything else gives undefined.
 */
export function sourceFromExecutionInput(input: string | null | undefined): SourceRef | undefined {
  if (!input) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch {
    return undefined;
  }
  const parsed = ObjectCreatedEventSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { bucket, object } = parsed.data.detail;
  return { bucket: bucket.name, key: object.key, versionId: object["version-id"] ?? null };
}

function parseClaim(output: string | undefined): ClaimedWork | undefined {
  if (!output) return undefined;
  try {
    const parsed = ClaimStateOutputSchema.safeParse(JSON.parse(output));
    if (!parsed.success) return undefined;
    const { assetId, revision, source } = parsed.data.claim.upload;
    return {
      assetId,
      revision,
      source: { bucket: source.bucket, key: source.key, versionId: source.versionId },
    };
  } catch {
    return undefined;
  }
}

/** error/cause of any failure-type history event (they all carry `{ error?, cause? }` details). */
function failureOf(event: HistoryEvent): AttemptStory["failure"] | undefined {
  const details =
    event.executionFailedEventDetails ??
    event.executionTimedOutEventDetails ??
    event.executionAbortedEventDetails ??
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.lambdaFunctionStartFailedEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails;
  if (!details) return undefined;
  return { error: details.error ?? undefined, cause: details.cause ?? undefined };
}
