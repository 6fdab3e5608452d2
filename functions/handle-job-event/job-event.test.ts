import { factsFromEvent, transcodeResultFromEvent } from "./job-event";
import { JOB_ID, OUTPUT_PREFIX, jobEvent, waitingTask } from "./test-support";

describe("factsFromEvent", () => {
  it("reads STATUS_UPDATE as a progressing job with its jobPercentComplete", () => {
    // Act
    const facts = factsFromEvent(jobEvent("status-update").detail);

    // Assess
    expect(facts).toMatchObject({ jobId: JOB_ID, state: "PROGRESSING", percentComplete: 7 });
  });

  it("reads PROGRESSING as the moment the job left the queue", () => {
    // Act
    const facts = factsFromEvent(jobEvent("progressing").detail);

    // Assess
    expect(facts).toMatchObject({ state: "PROGRESSING", startedAt: "2022-12-19T19:20:21.654Z" });
    expect(facts?.percentComplete).toBeUndefined();
  });

  it("carries ERROR's numeric code and message", () => {
    // Act
    const facts = factsFromEvent(jobEvent("error").detail);

    // Assess
    expect(facts).toMatchObject({ state: "ERROR", errorCode: 1010 });
    expect(facts?.errorMessage).toContain("Unable to open input file");
  });

  it.each(["INPUT_INFORMATION", "NEW_WARNING", "QUEUE_HOP"] as const)(
    "has nothing to say for %s",
    (status) => {
      // Prepare
      const { detail } = jobEvent("progressing");
      detail.status = status;

      // Act / Assess
      expect(factsFromEvent(detail)).toBeUndefined();
    },
  );
});

describe("transcodeResultFromEvent", () => {
  it("takes every path from the event when it carries them", () => {
    // Act
    const { result, missing } = transcodeResultFromEvent(jobEvent("complete").detail, waitingTask());

    // Assess
    expect(missing).toEqual([]);
    expect(result.cmafDashManifest).toBe(`${OUTPUT_PREFIX}cmaf/index.mpd`);
  });

  it("falls back to the task's stored layout for paths a thin COMPLETE event lacks, and says so", () => {
    // Prepare: no HLS group, no poster group, a CMAF group without playlists.
    const { detail } = jobEvent("complete");
    detail.outputGroupDetails = detail.outputGroupDetails
      ?.filter((g) => g.type === "CMAF_GROUP")
      .map((g) => ({ ...g, playlistFilePaths: undefined }));
    const task = waitingTask();

    // Act
    const { result, missing } = transcodeResultFromEvent(detail, task);

    // Assess
    expect(result).toMatchObject(task.outputs);
    expect(missing).toEqual(["cmafHlsManifest", "cmafDashManifest", "packagingManifest", "posterImage"]);
  });

  it("keeps only the planned renditions MediaConvert actually produced", () => {
    // Act
    const { result } = transcodeResultFromEvent(jobEvent("complete").detail, waitingTask());

    // Assess: the task planned 1080/720/480; the event reports 1080 and 720 (plus an audio-only output).
    expect(result.renditions.map((r) => r.heightPx)).toEqual([1080, 720]);
  });
});
