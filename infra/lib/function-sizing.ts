/**
 * The pipeline's Lambda functions (one folder each under functions/, see functions/README.md) and
 * how each is sized. Infra deploys these numbers and the local workflow runner (test/runner)
 * enforces them, so both import them from here. Kept free of Pulumi imports so the runner loads it
 * cheaply, like ledger-schema.ts.
 */

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
} as const satisfies Record<string, FunctionSizing>;

/** A function's folder under functions/, e.g. `claim-upload`. */
export type FunctionFolder = keyof typeof FUNCTION_SIZING;

/** Every function folder, in the order above. */
export const FUNCTION_FOLDERS = Object.keys(FUNCTION_SIZING) as readonly FunctionFolder[];
