import { describeFailure, MAX_MESSAGE_LENGTH, resumedStatus } from "./failure-description";

describe("describeFailure", () => {
  it("turns a MediaConvert ERROR into MediaConvert.<errorCode> with MediaConvert's message", () => {
    // Act
    const error = describeFailure({
      status: "FAILED",
      error: "Vod.TranscodeFailed",
      cause: JSON.stringify({
        jobId: "1717171717171-abcdef",
        errorCode: 1010,
        errorMessage:
          "Unable to open input file [s3://vod-source/a.mov]: [Failed probe/open: [No parser found for container]]",
      }),
      state: "Transcode To CMAF",
    });

    // Assess
    expect(error).toEqual({
      code: "MediaConvert.1010",
      message:
        "Unable to open input file [s3://vod-source/a.mov]: [Failed probe/open: [No parser found for container]] (MediaConvert job 1717171717171-abcdef)",
      state: "Transcode To CMAF",
    });
  });

  it("says a canceled MediaConvert job can be redriven", () => {
    // Act
    const error = describeFailure({
      status: "FAILED",
      error: "Vod.TranscodeCanceled",
      cause: JSON.stringify({
        jobId: "1717171717171-abcdef",
        errorMessage: "The MediaConvert job was canceled",
      }),
      state: "Transcode To CMAF",
    });

    // Assess
    expect(error).toEqual({
      code: "MediaConvert.Canceled",
      message:
        "The MediaConvert job was canceled (MediaConvert job 1717171717171-abcdef). Redrive to submit a new job.",
      state: "Transcode To CMAF",
    });
  });

  it("explains a heartbeat timeout of the transcode as a hung or over-queued job", () => {
    // Act
    const error = describeFailure({
      status: "FAILED",
      error: "States.HeartbeatTimeout",
      state: "Transcode To CMAF",
    });

    // Assess
    expect(error).toEqual({
      code: "States.HeartbeatTimeout",
      message:
        "The MediaConvert job stopped reporting progress (hung, or queued longer than maxQueueWaitHours). Redrive to submit a new job.",
      state: "Transcode To CMAF",
    });
  });

  it("explains a task timeout of the transcode by the task's TimeoutSeconds", () => {
    // Act
    const error = describeFailure({
      status: "FAILED",
      error: "States.Timeout",
      cause: "",
      state: "Transcode To CMAF",
    });

    // Assess
    expect(error.code).toBe("States.Timeout");
    expect(error.message).toMatch(/^The MediaConvert job did not finish within the task's TimeoutSeconds/);
  });

  it("explains an execution timeout as such, naming the state it stopped at", () => {
    // Act
    const error = describeFailure({
      status: "TIMED_OUT",
      error: "States.Timeout",
      state: "Register With MediaPackage",
    });

    // Assess
    expect(error.message).toBe(
      `The execution ran longer than the state machine's TimeoutSeconds while at "Register With MediaPackage". Redrive to resume there.`,
    );
  });

  it("uses the errorMessage of a Lambda error payload and keeps the error name as the code", () => {
    // Act
    const error = describeFailure({
      status: "FAILED",
      error: "ForbiddenException",
      cause: JSON.stringify({
        errorType: "ForbiddenException",
        errorMessage: "User is not authorized to perform: iam:PassRole",
        trace: ["ForbiddenException: User is not authorized to perform: iam:PassRole"],
      }),
      state: "Register With MediaPackage",
    });

    // Assess
    expect(error).toEqual({
      code: "ForbiddenException",
      message: "User is not authorized to perform: iam:PassRole",
      state: "Register With MediaPackage",
    });
  });

  it("says an aborted execution was stopped by an operator", () => {
    // Act
    const error = describeFailure({ status: "ABORTED", state: "Transcode To CMAF" });

    // Assess
    expect(error).toEqual({
      code: "Execution.Aborted",
      message:
        'The execution was stopped by an operator at "Transcode To CMAF". Redrive it to resume there, or upload the source again.',
      state: "Transcode To CMAF",
    });
  });

  it("keeps a plain-text cause and cuts it to a length a row can hold", () => {
    // Prepare
    const cause = `The JSONPath '$.transcode' could not be found. ${"x".repeat(2_000)}`;

    // Act
    const error = describeFailure({
      status: "FAILED",
      error: "States.Runtime",
      cause,
      state: "Register With MediaPackage",
    });

    // Assess
    expect(error.code).toBe("States.Runtime");
    expect(error.message).toHaveLength(MAX_MESSAGE_LENGTH);
    expect(error.message.startsWith("The JSONPath '$.transcode' could not be found.")).toBe(true);
  });

  it("names the execution when no state was entered", () => {
    // Act
    const error = describeFailure({ status: "FAILED", error: "States.Runtime" });

    // Assess
    expect(error).toEqual({
      code: "States.Runtime",
      message: '"Execution" failed and Step Functions reported no cause.',
      state: "Execution",
    });
  });
});

describe("resumedStatus", () => {
  it("maps each redriven state to the catalogue status of that work", () => {
    // Act + Assess
    expect(resumedStatus("Claim Upload")).toBe("INGESTING");
    expect(resumedStatus("Transcode To CMAF")).toBe("TRANSCODING");
    expect(resumedStatus("Register With MediaPackage")).toBe("PACKAGING");
    expect(resumedStatus("Publish To Catalogue")).toBe("PACKAGING");
    expect(resumedStatus("Route Upload")).toBeUndefined();
  });
});
