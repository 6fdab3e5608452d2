/**
 * The local workflow runner (issue #4): the deployed ingest state machine, executed end to end with
 * the real handlers against a real local DynamoDB and stand-ins for the other AWS services.
 * See runner.ts for the entry point and README.md for the design.
 */
export { WorkflowRunner, MEDIA, FUNCTION_FOLDERS, WORKFLOW_FUNCTIONS, runnerNames } from "./runner";
export type {
  RunnerOptions,
  Upload,
  UploadOptions,
  TitleMetrics,
  TitleView,
  FunctionFolder,
  RunnerNames,
} from "./runner";
export { jestSystemTime, patchedDateSystemTime, VirtualClock, RealClock, SettleTimeoutError } from "./clock";
export type { Clock, SystemTime } from "./clock";
export { assertSupportedNode, UnsupportedNodeError, MIN_NODE_MAJOR, Workflow, Execution } from "./workflow";
export { matchesPattern, EventBus } from "./eventbridge";
export type { JobScript, FakeJob } from "./fakes/mediaconvert";
export type { MediaFacts } from "./fakes/s3";
