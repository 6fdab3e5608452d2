/**
 * The state machine's Task functions as the definition's placeholders want them: one pure mapping used
 * by infra/workflow.ts (Pulumi outputs resolved) and the local runner (simulated ARNs), so both render
 * the same definition from the same table. Free of Pulumi imports.
 */
import {
  WORKFLOW_FUNCTIONS,
  WORKFLOW_TASK_FUNCTIONS,
  type WorkflowFunction,
  type WorkflowFunctionPlaceholder,
} from "./function-table";

/**
 * `{ ClaimUploadFunctionArn: <arn of claim-upload>, … }` from ARNs by folder.
 * @example taskFunctionSubstitutions({ "claim-upload": "arn:…:claim", … }).ClaimUploadFunctionArn === "arn:…:claim"
 */
export function taskFunctionSubstitutions(
  arns: Readonly<Record<WorkflowFunction, string>>,
): Record<WorkflowFunctionPlaceholder, string> {
  return Object.fromEntries(
    Object.entries(WORKFLOW_TASK_FUNCTIONS).map(([placeholder, folder]) => [placeholder, arns[folder]]),
  ) as Record<WorkflowFunctionPlaceholder, string>;
}

/**
 * A value for every function the state machine invokes, e.g. its ARN.
 * @example workflowFunctionMap((folder) => `arn:…:function:vod-${folder}`)["submit-job"] === "arn:…:function:vod-submit-job"
 */
export function workflowFunctionMap<T>(
  valueOf: (folder: WorkflowFunction) => T,
): Record<WorkflowFunction, T> {
  return Object.fromEntries(WORKFLOW_FUNCTIONS.map((folder) => [folder, valueOf(folder)])) as Record<
    WorkflowFunction,
    T
  >;
}
