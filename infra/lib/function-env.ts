/**
 * Which env schema (`functions/<folder>/env.ts`) each function reads its environment with. Types
 * only: infra/functions.ts types each function's `environment` against its schema and the local
 * workflow runner (test/runner) types the environment it gives the real handlers against all of
 * them, so `tsc` fails on a variable renamed, added or dropped on one side only.
 */
import type { ClaimUploadEnvSchema } from "../../functions/claim-upload/env";
import type { HandleJobEventEnvSchema } from "../../functions/handle-job-event/env";
import type { ReconcileJobsEnvSchema } from "../../functions/reconcile-jobs/env";
import type { RecordFailureEnvSchema } from "../../functions/record-failure/env";
import type { RegisterAssetEnvSchema } from "../../functions/register-asset/env";
import type { EnvironmentOf } from "../../functions/shared/runtime/env";
import type { SubmitJobEnvSchema } from "../../functions/submit-job/env";
import type { FunctionFolder } from "./function-sizing";

/** The env schema of every function folder (a folder missing here fails `tsc` where it is indexed). */
export interface FunctionEnvSchemas {
  "claim-upload": typeof ClaimUploadEnvSchema;
  "submit-job": typeof SubmitJobEnvSchema;
  "handle-job-event": typeof HandleJobEventEnvSchema;
  "reconcile-jobs": typeof ReconcileJobsEnvSchema;
  "register-asset": typeof RegisterAssetEnvSchema;
  "record-failure": typeof RecordFailureEnvSchema;
}

/** One function's environment as Lambda gets it; `Value` is `pulumi.Input<string>` in infra. */
export type FunctionEnvironment<Folder extends FunctionFolder, Value = string> = EnvironmentOf<
  FunctionEnvSchemas[Folder],
  Value
>;

/** Every variable any function reads: what one process running all handlers (the runner) must set. */
export type PipelineEnvironment = UnionToIntersection<
  { [Folder in FunctionFolder]: FunctionEnvironment<Folder> }[FunctionFolder]
>;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;
