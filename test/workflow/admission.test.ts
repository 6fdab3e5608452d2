import type { Context } from "aws-lambda";
import { jestSystemTime, WorkflowRunner, type RunnerOptions } from "../runner";
import { TASK_STATES } from "../../statemachines/ingest-states";

/**
 * Admission in front of CreateJob (issue 12; functions/shared/contract/admission.ts): titles wait in
 * the admission queue and submit-job admits them at `createJobRate`, so a burst never meets
 * MediaConvert's request limit; nothing waiting is lost or submitted twice when the submitter crashes,
 * and a title whose task closed while it waited is dropped, then redriven. Here the stand-in accepts 5
 * CreateJob calls per second and admission is configured for 4 (every runner of this file alike: the
 * handlers read the rate from their environment once).
 */
const ADMISSION: RunnerOptions = {
  admission: { createJobRate: 4, concurrency: 2 },
  mediaConvert: { createJobPerSecond: 5, concurrentJobs: 20, fixedTranscodeMs: 60_000 },
};

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** The real submit-job handler, loaded after the runner set its environment. */
function realSubmitter(): Handler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../functions/submit-job/handler") as { handler: Handler }).handler;
}

describe("ingest workflow: admission to MediaConvert", () => {
  let runner: WorkflowRunner;

  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  it("publishes a burst larger than the CreateJob limit with no throttled CreateJob call", async () => {
    // Prepare
    runner = await WorkflowRunner.start({ systemTime: jestSystemTime(jest), ...ADMISSION });

    // Act: 60 titles at once, 12 seconds of CreateJob at the admission rate.
    const uploads = Array.from({ length: 60 }, (_, i) => runner.upload(`burst/${i}.mp4`));
    await runner.settle();

    // Assess
    for (const upload of uploads) {
      const { row, jobs, execution } = await runner.title(upload);
      expect(row?.status).toBe("PUBLISHED");
      expect(jobs).toHaveLength(1);
      // No Task retry was needed to get the job created.
      expect(execution!.entriesOf(TASK_STATES.transcode).map((e) => e.retries)).toEqual([0]);
    }
    const calls = runner.mediaConvert.createJobCalls;
    expect(calls.filter((c) => c.result === "TooManyRequestsException")).toHaveLength(0);
    expect(calls).toHaveLength(60);
    // The titles did wait their turn: CreateJob was spread over the burst at about 4 per second.
    const spreadMs = calls[calls.length - 1]!.at - calls[0]!.at;
    expect(spreadMs).toBeGreaterThanOrEqual((60 / 4 - 1) * 1000);
    expect(runner.sqs.messages(runner.names.queues.admission)).toHaveLength(0);
  });

  it("loses nothing and creates no second job when the submitter crashes after submitting a batch", async () => {
    // Prepare: the first two batches crash after their CreateJob calls, before SQS hears back.
    let crashes = 2;
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      ...ADMISSION,
      handlers: {
        "submit-job": async () => {
          const real = realSubmitter();
          return async (event: unknown, context: Context) => {
            const result = await real(event, context);
            if (crashes-- > 0)
              throw Object.assign(new Error("exited with signal SIGKILL"), { name: "Runtime.ExitError" });
            return result;
          };
        },
      },
    });

    // Act
    const uploads = Array.from({ length: 30 }, (_, i) => runner.upload(`crash/${i}.mp4`));
    await runner.settle();

    // Assess
    const crashed = runner.admission.batches.filter((b) => b.outcome === "error");
    expect(crashed).toHaveLength(2);
    // The crashed batches' titles came back after the visibility timeout and found their jobs.
    expect(runner.admission.batches.reduce((n, b) => n + b.size, 0)).toBeGreaterThan(30);
    for (const upload of uploads) {
      const { row, jobs } = await runner.title(upload);
      expect(row?.status).toBe("PUBLISHED");
      expect(jobs).toHaveLength(1);
    }
    expect(runner.mediaConvert.createJobCalls.filter((c) => c.result.startsWith("created"))).toHaveLength(30);
    expect(runner.sqs.messages(runner.names.queues.admissionFailures)).toHaveLength(0);
  });

  it("drops a title whose task timed out while it waited, and a redrive of its execution publishes it", async () => {
    // Prepare: the submitter is broken (a bad deploy) for longer than the task's heartbeat (960 s).
    let broken = true;
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      ...ADMISSION,
      handlers: {
        "submit-job": async () => {
          const real = realSubmitter();
          return async (event: unknown, context: Context) => {
            if (broken)
              throw Object.assign(new Error("Cannot find module 'x'"), { name: "Runtime.ImportModuleError" });
            return real(event, context);
          };
        },
      },
    });
    const upload = runner.upload("waiting/broken-deploy.mp4");
    await runner.runUntil(() => runner.claimingExecution(upload)?.status === "FAILED");
    await runner.advance(60_000);
    const failed = await runner.title(upload);
    const failedWith = failed.execution?.error;

    // Act: the fix is deployed; the stale message is dropped; the operator redrives.
    broken = false;
    await runner.settle();
    const jobsBeforeRedrive = runner.jobsFor(upload).length;
    runner.redrive(failed.execution!.executionArn);
    await runner.settle();

    // Assess
    expect(failedWith).toBe("States.HeartbeatTimeout");
    expect(failed.row?.status).toBe("FAILED");
    expect(jobsBeforeRedrive).toBe(0);
    const { row, jobs, execution } = await runner.title(upload);
    expect(execution?.status).toBe("SUCCEEDED");
    expect(execution?.redriveCount).toBe(1);
    expect(row?.status).toBe("PUBLISHED");
    expect(jobs).toHaveLength(1);
    expect(runner.sqs.messages(runner.names.queues.admission)).toHaveLength(0);
  });
});
