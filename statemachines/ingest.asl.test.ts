import { createRequire } from "node:module";
import { renderIngestDefinition, type IngestSubstitutions } from "../infra/lib/asl";
import { transcodeHeartbeatSeconds, transcodeTimeoutSeconds } from "../infra/lib/timing";
import { DEFAULT_CONFIG } from "../infra/config";
import { WORKFLOW_FUNCTIONS } from "../infra/lib/function-table";
import { taskFunctionSubstitutions, workflowFunctionMap } from "../infra/lib/workflow-functions";
import { PACKAGING_OUTAGE_MINUTES, TASK_STATES } from "./ingest-states";
import { FUNCTION_SIZING } from "../infra/lib/function-table";
import { DEFAULT_WAIT } from "../functions/register-asset/register-asset";
import { LONGEST_PACKAGED_TITLE_MS, packagingWaitMs } from "../functions/shared/media/packaging-wait";
import {
  optimizedDynamoDbError,
  TRANSIENT_UPDATE_ITEM_ERRORS,
  UNMODELLED_DYNAMODB_ERROR,
  UPDATE_ITEM_ERRORS,
} from "./dynamodb-errors";

/** asl-validator 4 ships JavaScript without type declarations; this is the part of its API we use. */
type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(__filename)("asl-validator") as AslValidator;

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly HeartbeatSeconds?: unknown;
  readonly TimeoutSeconds?: unknown;
  readonly Retry?: readonly { readonly ErrorEquals: readonly string[]; readonly JitterStrategy?: string }[];
  readonly Catch?: readonly { readonly ErrorEquals: readonly string[]; readonly Next: string }[];
}
interface Definition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, State>>;
}

const ACCOUNT = "arn:aws:lambda:us-east-1:123456789012:function";

/** The values infra/workflow.ts passes, for the default configuration. */
const values: IngestSubstitutions = {
  Partition: "aws",
  ...taskFunctionSubstitutions(workflowFunctionMap((folder) => `${ACCOUNT}:vod-ingest-dev-${folder}`)),
  CatalogueTableName: "vod-catalogue",
  AdmissionQueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/vod-admission",
  TranscodeHeartbeatSeconds: transcodeHeartbeatSeconds(DEFAULT_CONFIG.reconcileIntervalMinutes),
  TranscodeTimeoutSeconds: transcodeTimeoutSeconds(DEFAULT_CONFIG.maxQueueWaitHours * 60),
};

const rendered = renderIngestDefinition(values);
const definition = JSON.parse(rendered) as Definition;
const states = Object.entries(definition.States);
const tasks = states.filter(([, state]) => state.Type === "Task");

describe("statemachines/ingest.asl.json", () => {
  it("renders to a definition asl-validator accepts", () => {
    // Act
    const result = aslValidator(definition, { checkPaths: true, checkArn: true });

    // Assess
    expect(result.errorsText("\n")).toBe("");
    expect(result.isValid).toBe(true);
  });

  it("leaves no placeholder unfilled", () => {
    expect(rendered).not.toMatch(/\$\{[A-Za-z]/);
  });

  it("calls the deployed functions and the catalogue table", () => {
    for (const folder of WORKFLOW_FUNCTIONS)
      expect(rendered).toContain(`${ACCOUNT}:vod-ingest-dev-${folder}"`);
    expect(rendered).toContain(`"TableName":"${values.CatalogueTableName}"`);
  });

  it.each(tasks)("retries transient errors of %s with full jitter", (_name, state) => {
    expect(state.Retry?.length).toBeGreaterThan(0);
    for (const retrier of state.Retry ?? []) expect(retrier.JitterStrategy).toBe("FULL");
  });

  it("retries only transient DynamoDB errors at Publish To Catalogue, by the names Step Functions reports", () => {
    // Prepare
    const publish = definition.States[TASK_STATES.publish]!;
    const retried = (publish.Retry ?? []).flatMap((retrier) => retrier.ErrorEquals);
    const caught = (publish.Catch ?? []).flatMap((catcher) => catcher.ErrorEquals);
    const reported = UPDATE_ITEM_ERRORS.map(optimizedDynamoDbError);

    // Assess: no catch-all that would repeat a validation error or a failed condition.
    expect([...retried].sort()).toEqual(TRANSIENT_UPDATE_ITEM_ERRORS.map(optimizedDynamoDbError).sort());
    expect(retried).not.toContain(UNMODELLED_DYNAMODB_ERROR);
    expect(retried).not.toContain("States.ALL");
    expect(retried).not.toContain(optimizedDynamoDbError("ConditionalCheckFailedException"));
    for (const name of [...retried, ...caught]) expect(reported).toContain(name);
  });

  it("retries Vod.PackagingPending for as long as the longest title may wait for MediaPackage", () => {
    // Prepare: each attempt polls until the Lambda has less than a margin and one interval left, so
    // it waits at least that long; the retrier's own (jittered) waits may add nothing.
    const retrier = definition.States[TASK_STATES.register]!.Retry!.find((r) =>
      r.ErrorEquals.includes("Vod.PackagingPending"),
    ) as { MaxAttempts: number };
    const perAttemptMs =
      FUNCTION_SIZING["register-asset"].timeoutSeconds * 1000 -
      DEFAULT_WAIT.safetyMarginMs -
      DEFAULT_WAIT.pollIntervalMs;

    // Assess
    expect((retrier.MaxAttempts + 1) * perAttemptMs).toBeGreaterThanOrEqual(
      packagingWaitMs(LONGEST_PACKAGED_TITLE_MS),
    );
  });

  it("retries Vod.ServiceBusy at registration long enough to ride out a MediaPackage outage twice over", () => {
    // Prepare: with FULL jitter each wait is uniform in [0, delay], delay = min(Interval × Backoff^n, MaxDelay).
    const retrier = definition.States[TASK_STATES.register]!.Retry!.find((r) =>
      r.ErrorEquals.includes("Vod.ServiceBusy"),
    ) as { IntervalSeconds: number; MaxAttempts: number; BackoffRate: number; MaxDelaySeconds: number };
    const delays = Array.from({ length: retrier.MaxAttempts }, (_, n) =>
      Math.min(retrier.IntervalSeconds * retrier.BackoffRate ** n, retrier.MaxDelaySeconds),
    );

    // Act
    const expectedWaitSeconds = delays.reduce((a, b) => a + b, 0) / 2;

    // Assess
    expect(expectedWaitSeconds).toBeGreaterThanOrEqual(2 * PACKAGING_OUTAGE_MINUTES * 60);
  });

  it("never catches an error into a Fail state (a redrive would only fail there again)", () => {
    for (const [, state] of states) {
      for (const catcher of state.Catch ?? []) {
        expect(definition.States[catcher.Next]?.Type).not.toBe("Fail");
      }
    }
    expect(states.filter(([, state]) => state.Type === "Fail")).toEqual([]);
  });

  it("waits for the transcode with a numeric heartbeat and timeout", () => {
    // Prepare
    const waits = tasks.filter(([, state]) => state.Resource?.endsWith(".waitForTaskToken"));

    // Assess
    expect(waits.map(([name]) => name)).toEqual(["Transcode To CMAF"]);
    const [, wait] = waits[0]!;
    expect(wait.HeartbeatSeconds).toBe(960);
    expect(wait.TimeoutSeconds).toBe(262_800);
    expect(typeof wait.HeartbeatSeconds).toBe("number");
    expect(typeof wait.TimeoutSeconds).toBe("number");
  });
});
