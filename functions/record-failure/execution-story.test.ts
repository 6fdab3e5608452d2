import executionFailed from "./events/execution-failed.json";
import failedAtRegister from "./events/history-failed-at-register.json";
import failedAtTranscode from "./events/history-failed-at-transcode.json";
import failedBeforeClaim from "./events/history-failed-before-claim.json";
import redrivenAtRegister from "./events/history-redriven-at-register.json";
import { readAttempt, sourceFromExecutionInput } from "./execution-story";
import { historyEvents } from "./test-support";

const claimed = {
  assetId: "lecture-01-final-3f9a2c",
  revision: "0a1b2c3d4e5f",
  source: {
    bucket: "vod-source-123456789012",
    key: "courses/lecture 01 (final).mov",
    versionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
  },
};

describe("readAttempt", () => {
  it("finds the claim, the state that failed and its error in a failed execution", () => {
    // Act
    const story = readAttempt(historyEvents(failedAtTranscode));

    // Assess
    expect(story.claimed).toEqual(claimed);
    expect(story.currentState).toBe("Transcode To CMAF");
    expect(story.failure?.error).toBe("Vod.TranscodeFailed");
    expect(JSON.parse(story.failure?.cause ?? "{}")).toMatchObject({ errorCode: 1010 });
    expect(story.redriveCount).toBe(0);
  });

  it("finds no claim when the execution failed inside Claim Upload", () => {
    // Act
    const story = readAttempt(historyEvents(failedBeforeClaim));

    // Assess
    expect(story.claimed).toBeUndefined();
    expect(story.currentState).toBe("Claim Upload");
    expect(story.failure?.error).toBe("AccessDenied");
    expect(story.executionInput).toContain('"detail-type":"Object Created"');
  });

  it("falls back to the task failure when the execution-level failure event is missing", () => {
    // Prepare
    const events = historyEvents(failedAtRegister).filter((e) => e.type !== "ExecutionFailed");

    // Act
    const story = readAttempt(events);

    // Assess
    expect(story.failure?.error).toBe("ForbiddenException");
  });

  it("reads a redriven execution's latest attempt without the earlier attempt's failure", () => {
    // Act
    const story = readAttempt(historyEvents(redrivenAtRegister));

    // Assess
    expect(story.redriveCount).toBe(1);
    expect(story.claimed).toEqual(claimed);
    expect(story.currentState).toBe("Register With MediaPackage");
    expect(story.failure).toBeUndefined();
  });

  it("reads an earlier attempt of a redriven execution as it ended", () => {
    // Act
    const story = readAttempt(historyEvents(redrivenAtRegister), 0);

    // Assess
    expect(story.redriveCount).toBe(0);
    expect(story.failure?.error).toBe("ForbiddenException");
  });
});

describe("sourceFromExecutionInput", () => {
  it("reads bucket, key and version from the S3 Object Created event the execution started with", () => {
    // Act
    const source = sourceFromExecutionInput(executionFailed.detail.input);

    // Assess
    expect(source).toEqual(claimed.source);
  });

  it("gives nothing for input that is not an S3 event", () => {
    // Act + Assess
    expect(sourceFromExecutionInput("{}")).toBeUndefined();
    expect(sourceFromExecutionInput("not json")).toBeUndefined();
    expect(sourceFromExecutionInput(null)).toBeUndefined();
  });
});
