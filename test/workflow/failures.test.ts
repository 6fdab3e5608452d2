import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { jestSystemTime, WorkflowRunner } from "../runner";

/** Failures: where the execution fails, what the catalogue and the failures queue say, and redrive. */
describe("ingest workflow: failures", () => {
  let runner: WorkflowRunner;

  beforeEach(async () => {
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest) });
  });
  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("fails at Transcode To CMAF on MediaConvert ERROR 1010: row FAILED with MediaConvert's code and message, a DLQ message", async () => {
    // Prepare
    const errorMessage =
      "Unable to open input file [s3://vod-local-source-123456789012/courses/broken.mp4]: [Failed probe/open: [No parser found for container]]";
    runner.mediaConvert.scriptNext({ outcome: "ERROR", errorCode: 1010, errorMessage });

    // Act
    const upload = runner.upload("courses/broken.mp4");
    await runner.settle();

    // Assess
    const { row, execution, jobs, failureMessages } = await runner.title(upload);
    expect(execution).toMatchObject({ status: "FAILED", error: "Vod.TranscodeFailed" });
    expect(execution?.lastEntry?.name).toBe("Transcode To CMAF");
    expect(jobs).toHaveLength(1);
    expect(row).toMatchObject({
      status: "FAILED",
      error: { code: "MediaConvert.1010", state: "Transcode To CMAF" },
      execution: { arn: execution?.executionArn },
    });
    expect(row?.error?.message).toContain(errorMessage);
    expect(row?.error?.message).toContain(jobs[0]!.id);
    expect(failureMessages).toHaveLength(1);
    expect(failureMessages[0]).toMatchObject({
      assetId: upload.assetId,
      status: "FAILED",
      failedState: "Transcode To CMAF",
      executionArn: execution?.executionArn,
      error: { code: "MediaConvert.1010" },
      source: { bucket: upload.bucket, key: upload.key, versionId: upload.versionId },
    });
  });

  it("puts a title whose CreateJob is throttled back in the admission queue, then creates exactly one job", async () => {
    // Prepare
    runner.mediaConvert.throttleNext(3);

    // Act
    const upload = runner.upload("courses/busy-day.mp4");
    await runner.settle();

    // Assess
    const { row, execution, jobs } = await runner.title(upload);
    expect(row?.status).toBe("PUBLISHED");
    expect(jobs).toHaveLength(1);
    expect(runner.mediaConvert.createJobCalls.map((c) => c.result.split(":")[0])).toEqual([
      "TooManyRequestsException",
      "TooManyRequestsException",
      "TooManyRequestsException",
      "created",
    ]);
    // The throttles cost the execution nothing: no failed attempt, no Task retry (no billed transition).
    expect(failuresOf(execution!.history, "Transcode To CMAF")).toEqual([]);
    expect(execution!.entriesOf("Transcode To CMAF")[0]!.retries).toBe(0);
    // The message was received four times (three requeued with a backoff), by four submitter invocations.
    const batches = runner.admission.batches.filter((b) => b.executionArns.includes(execution!.executionArn));
    expect(batches.map((b) => b.failed)).toEqual([1, 1, 1, 0]);
    expect(runner.metrics(execution!).workflowInvocations["submit-job"]).toBe(4);
  });

  it("fails at Register With MediaPackage on AccessDenied, then a redrive publishes without transcoding again", async () => {
    // Prepare
    runner.mediaPackage.denyNext(1);
    const upload = runner.upload("courses/no-permission.mp4");
    await runner.settle();
    const failed = await runner.title(upload);
    expect(failed.execution).toMatchObject({ status: "FAILED", error: "ForbiddenException" });
    expect(failed.execution?.lastEntry?.name).toBe("Register With MediaPackage");
    expect(failed.row).toMatchObject({ status: "FAILED", error: { state: "Register With MediaPackage" } });
    expect(failed.failureMessages).toHaveLength(1);

    // Act: the operator fixes the permission and redrives.
    const execution = runner.redrive(failed.execution!.executionArn);
    await runner.settle();

    // Assess
    const { row, jobs, packagingAssets } = await runner.title(upload);
    expect(execution).toMatchObject({ status: "SUCCEEDED", redriveCount: 1 });
    expect(row).toMatchObject({
      status: "PUBLISHED",
      execution: { arn: execution.executionArn, redriveCount: 1 },
    });
    expect(row?.error).toBeUndefined();
    expect(jobs).toHaveLength(1);
    expect(packagingAssets).toHaveLength(1);
    // The redrive reran only the failed state and the ones after it.
    expect(execution.entries.filter((e) => e.run === 2).map((e) => e.name)).toEqual([
      "Register With MediaPackage",
      "Publish To Catalogue",
      "Published",
    ]);
    expect(execution.history.filter((e) => e.type === "ExecutionRedriven")).toHaveLength(1);
  });

  it("waits out a slow MediaPackage ingest: Vod.PackagingPending is retried and the existing asset adopted", async () => {
    // Prepare: ingest takes longer than register-asset can poll within its 60-second timeout.
    await runner.stop();
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      mediaPackage: { ingestMs: 4 * 60_000 },
    });

    // Act
    const upload = runner.upload("courses/slow-ingest.mp4");
    await runner.settle();

    // Assess
    const { row, execution, packagingAssets } = await runner.title(upload);
    expect(row?.status).toBe("PUBLISHED");
    expect(
      failuresOf(execution!.history, "Register With MediaPackage").every((e) => e === "Vod.PackagingPending"),
    ).toBe(true);
    expect(failuresOf(execution!.history, "Register With MediaPackage").length).toBeGreaterThanOrEqual(1);
    expect(packagingAssets).toHaveLength(1);
    // Later attempts found the asset taken (422) and adopted it instead of failing.
    expect(runner.mediaPackage.createAssetCalls.map((c) => c.result)).toContain(
      "UnprocessableEntityException",
    );
  });

  it("retries a throttled CreateAsset", async () => {
    // Prepare
    runner.mediaPackage.throttleNext(2);

    // Act
    const upload = runner.upload("courses/throttled-asset.mp4");
    await runner.settle();

    // Assess
    const { row, execution, packagingAssets } = await runner.title(upload);
    expect(row?.status).toBe("PUBLISHED");
    expect(failuresOf(execution!.history, "Register With MediaPackage")).toEqual([
      "Vod.ServiceBusy",
      "Vod.ServiceBusy",
    ]);
    expect(packagingAssets).toHaveLength(1);
  });
});

/** The errors of a state's failed attempts, from the execution history. */
function failuresOf(history: readonly HistoryEvent[], state: string): string[] {
  const errors: string[] = [];
  let current: string | undefined;
  for (const event of history) {
    if (event.stateEnteredEventDetails) current = event.stateEnteredEventDetails.name;
    if (current === state && event.taskFailedEventDetails)
      errors.push(event.taskFailedEventDetails.error ?? "");
  }
  return errors;
}
