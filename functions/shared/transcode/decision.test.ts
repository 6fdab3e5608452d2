import { decide, parseMinutes, type JobFacts, type TaskTimeline } from "./decision";

const LIMITS = { maxQueueWaitMinutes: 24 * 60, stalledJobMinutes: 60 };
const SUBMITTED_AT = "2025-03-01T08:00:00.000Z";
const task: TaskTimeline = { submittedAt: SUBMITTED_AT };

/** `minutes` after the task was submitted. */
function after(minutes: number): Date {
  return new Date(Date.parse(SUBMITTED_AT) + minutes * 60_000);
}

function job(facts: Omit<JobFacts, "jobId">): JobFacts {
  return { jobId: "1671476818694-phptj0", ...facts };
}

describe("decide", () => {
  it("succeeds the task when the job is COMPLETE", () => {
    expect(decide(job({ state: "COMPLETE" }), task, after(30), LIMITS)).toEqual({ kind: "succeed" });
  });

  it("fails the task with Vod.TranscodeFailed, the job id, code and message when the job is in ERROR", () => {
    // Act
    const decision = decide(
      job({ state: "ERROR", errorCode: 1010, errorMessage: "Input Error" }),
      task,
      after(30),
      LIMITS,
    );

    // Assess
    expect(decision).toEqual({
      kind: "fail",
      error: "Vod.TranscodeFailed",
      cause: { jobId: "1671476818694-phptj0", errorCode: 1010, errorMessage: "Input Error" },
    });
  });

  it("fails the task with Vod.TranscodeCanceled when the job was canceled", () => {
    // Act
    const decision = decide(job({ state: "CANCELED" }), task, after(30), LIMITS);

    // Assess
    expect(decision).toMatchObject({ kind: "fail", error: "Vod.TranscodeCanceled" });
  });

  it("heartbeats a job queued for less than the queue limit", () => {
    expect(decide(job({ state: "SUBMITTED" }), task, after(23 * 60), LIMITS)).toEqual({ kind: "heartbeat" });
  });

  it("withholds the heartbeat of a job queued longer than the queue limit", () => {
    expect(decide(job({ state: "SUBMITTED" }), task, after(24 * 60), LIMITS)).toEqual({
      kind: "hung",
      reason: "queued-too-long",
      minutes: 24 * 60,
    });
  });

  it("measures the queue wait from the job's own submit time when MediaConvert reports it", () => {
    // Prepare: a Task retry made the job 23 hours after the task item was first written.
    const facts = job({ state: "SUBMITTED", submittedAt: after(23 * 60).toISOString() });

    // Act / Assess
    expect(decide(facts, task, after(25 * 60), LIMITS)).toEqual({ kind: "heartbeat" });
  });

  it("heartbeats and asks to record the percentage when a progressing job's progress moved", () => {
    // Prepare
    const seen: TaskTimeline = { ...task, lastProgressPercent: 40, lastProgressAt: after(10).toISOString() };

    // Act
    const decision = decide(job({ state: "PROGRESSING", percentComplete: 41 }), seen, after(500), LIMITS);

    // Assess
    expect(decision).toEqual({ kind: "heartbeat", progress: { percent: 41, at: after(500).toISOString() } });
  });

  it("treats a percentage that went down (a MediaConvert retry) as progress", () => {
    // Prepare
    const seen: TaskTimeline = { ...task, lastProgressPercent: 80, lastProgressAt: after(10).toISOString() };

    // Act / Assess
    expect(decide(job({ state: "PROGRESSING", percentComplete: 0 }), seen, after(500), LIMITS)).toMatchObject(
      {
        kind: "heartbeat",
        progress: { percent: 0 },
      },
    );
  });

  it("heartbeats a progressing job whose progress last moved within STALLED_JOB_MINUTES", () => {
    // Prepare
    const seen: TaskTimeline = { ...task, lastProgressPercent: 40, lastProgressAt: after(100).toISOString() };

    // Act / Assess
    expect(decide(job({ state: "PROGRESSING", percentComplete: 40 }), seen, after(159), LIMITS)).toEqual({
      kind: "heartbeat",
    });
  });

  it("withholds the heartbeat of a progressing job with no progress for longer than STALLED_JOB_MINUTES", () => {
    // Prepare
    const seen: TaskTimeline = { ...task, lastProgressPercent: 40, lastProgressAt: after(100).toISOString() };

    // Act / Assess
    expect(decide(job({ state: "PROGRESSING", percentComplete: 40 }), seen, after(160), LIMITS)).toEqual({
      kind: "hung",
      reason: "stalled",
      minutes: 60,
    });
  });

  it("starts the stall clock when the job left the queue, not when it was submitted", () => {
    // Prepare: queued for 10 hours, started 5 minutes ago, no percentage reported yet.
    const facts = job({ state: "PROGRESSING", startedAt: after(600).toISOString() });

    // Act / Assess
    expect(decide(facts, task, after(605), LIMITS)).toEqual({ kind: "heartbeat" });
  });

  it("counts an unreadable timestamp as long ago rather than heartbeating forever", () => {
    // Act
    const decision = decide(job({ state: "SUBMITTED" }), { submittedAt: "not a date" }, after(1), LIMITS);

    // Assess
    expect(decision).toMatchObject({ kind: "hung", reason: "queued-too-long" });
  });
});

describe("parseMinutes", () => {
  it("reads a whole number of minutes", () => {
    expect(parseMinutes("STALLED_JOB_MINUTES", "60")).toBe(60);
  });

  it.each(["0", "-5", "1.5", "sixty", ""])("refuses %j, naming the setting", (raw) => {
    expect(() => parseMinutes("STALLED_JOB_MINUTES", raw)).toThrow(/STALLED_JOB_MINUTES/);
  });
});
