/**
 * The pipeline's Lambda functions, one folder each under functions/ (functions/README.md): how
 * each is sized and which env schema (`functions/<folder>/env.ts`) it reads its environment with.
 * infra/functions.ts deploys one function per entry, with its `environment` typed against the
 * schema; the local workflow runner (test/runner) enforces the same sizing and types the
 * environment it gives the real handlers against all schemas. Free of Pulumi imports, like
 * ledger-schema.ts, so the runner loads it cheaply.
 */
import type * as z from "zod/mini";
import { ClaimUploadEnvSchema } from "../../functions/claim-upload/env";
import { HandleJobEventEnvSchema } from "../../functions/handle-job-event/env";
import { ReconcileJobsEnvSchema } from "../../functions/reconcile-jobs/env";
import { RecordFailureEnvSchema } from "../../functions/record-failure/env";
import { RegisterAssetEnvSchema } from "../../functions/register-asset/env";
import type { EnvironmentOf } from "../../functions/shared/runtime/env";
import { SubmitJobEnvSchema } from "../../functions/submit-job/env";
import { MintPlaybackSessionEnvSchema } from "../../functions/mint-playback-session/env";

/** Seconds before Lambda stops an invocation, and memory in MB (CPU scales with it). */
export interface FunctionSizing {
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/** Sizing per function folder; a folder listed here is deployed (infra/functions.ts) and run by the runner. */
export const FUNCTION_SIZING = {
  "claim-upload": { timeoutSeconds: 60, memoryMb: 512 },
  "submit-job": { timeoutSeconds: 30, memoryMb: 512 },
  "handle-job-event": { timeoutSeconds: 30, memoryMb: 256 },
  // Runs may overlap when the interval is shorter; a duplicate heartbeat or completion is harmless.
  "reconcile-jobs": { timeoutSeconds: 300, memoryMb: 512 },
  "register-asset": { timeoutSeconds: 60, memoryMb: 256 },
  "record-failure": { timeoutSeconds: 30, memoryMb: 256 },
  // Behind API Gateway (29 s integration limit); one GetItem and, once per container, a secret read.
  "mint-playback-session": { timeoutSeconds: 10, memoryMb: 512 },
} as const satisfies Record<string, FunctionSizing>;

/** A function's folder under functions/, e.g. `claim-upload`. */
export type FunctionFolder = keyof typeof FUNCTION_SIZING;

/** Every function folder, in the order above. */
export const FUNCTION_FOLDERS = Object.keys(FUNCTION_SIZING) as readonly FunctionFolder[];

/**
 * The functions the ingest state machine invokes, by the ASL placeholder that takes each one's ARN
 * (`"FunctionName": "${ClaimUploadFunctionArn}"`): the title's critical path. infra/workflow.ts renders
 * the definition and grants `lambda:InvokeFunction` from this table, the runner maps the same
 * placeholders to the real handlers, and the renderer refuses a placeholder without a value.
 * submit-job is on the critical path too, but the state machine reaches it through the admission queue
 * (shared/contract/admission.ts), not by invoking it.
 */
export const WORKFLOW_TASK_FUNCTIONS = {
  ClaimUploadFunctionArn: "claim-upload",
  RegisterAssetFunctionArn: "register-asset",
} as const satisfies Record<`${string}FunctionArn`, FunctionFolder>;

/** An ASL placeholder naming a Task's function, e.g. `SubmitJobFunctionArn`. */
export type WorkflowFunctionPlaceholder = keyof typeof WORKFLOW_TASK_FUNCTIONS;

/** A folder the state machine invokes (`claim-upload`, `register-asset`). */
export type WorkflowFunction = (typeof WORKFLOW_TASK_FUNCTIONS)[WorkflowFunctionPlaceholder];

/** The functions the state machine invokes, in the table's order. */
export const WORKFLOW_FUNCTIONS = Object.values(WORKFLOW_TASK_FUNCTIONS) as readonly WorkflowFunction[];

/** The env schema of every function folder (a folder missing here fails `tsc`). */
export const FUNCTION_ENV_SCHEMAS = {
  "claim-upload": ClaimUploadEnvSchema,
  "submit-job": SubmitJobEnvSchema,
  "handle-job-event": HandleJobEventEnvSchema,
  "reconcile-jobs": ReconcileJobsEnvSchema,
  "register-asset": RegisterAssetEnvSchema,
  "record-failure": RecordFailureEnvSchema,
  "mint-playback-session": MintPlaybackSessionEnvSchema,
} as const satisfies Record<FunctionFolder, z.ZodMiniObject>;

/** One function's environment as Lambda gets it; `Value` is `pulumi.Input<string>` in infra. */
export type FunctionEnvironment<Folder extends FunctionFolder, Value = string> = EnvironmentOf<
  (typeof FUNCTION_ENV_SCHEMAS)[Folder],
  Value
>;

/** Every variable any function reads: what one process running all handlers (the runner) must set. */
export type PipelineEnvironment = UnionToIntersection<
  { [Folder in FunctionFolder]: FunctionEnvironment<Folder> }[FunctionFolder]
>;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;
