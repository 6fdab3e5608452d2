import { factsFromJob, transcodeResultFromJob } from "./job-snapshot";
import { JOB_ID, mediaConvertJob, waitingTask } from "./test-support";

describe("factsFromJob", () => {
  it("reads status, percentage and timing from GetJob", () => {
    // Act
    const facts = factsFromJob(mediaConvertJob({ Status: "PROGRESSING", JobPercentComplete: 55 }));

    // Assess
    expect(facts).toEqual({
      jobId: JOB_ID,
      state: "PROGRESSING",
      percentComplete: 55,
      submittedAt: "2022-12-19T19:00:01.000Z",
      startedAt: "2022-12-19T19:20:21.000Z",
      errorCode: undefined,
      errorMessage: undefined,
    });
  });

  it("refuses a job without a status it knows", () => {
    expect(() => factsFromJob(mediaConvertJob({ Status: undefined }))).toThrow(/Status/);
  });
});

describe("transcodeResultFromJob", () => {
  it("falls back to the planned renditions when GetJob reports no video details", () => {
    // Prepare
    const task = waitingTask("a");

    // Act
    const result = transcodeResultFromJob(mediaConvertJob({ OutputGroupDetails: [] }), task);

    // Assess
    expect(result.renditions).toEqual(task.renditions);
    expect(result.cmafHlsManifest).toBe(task.outputs.cmafHlsManifest);
  });
});
