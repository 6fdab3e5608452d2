import { MAX_TASK_CAUSE_CHARS, failureCauseJson } from "./callback";

describe("failureCauseJson", () => {
  it("keeps a short cause whole", () => {
    // Prepare
    const cause = { jobId: "j", errorCode: 1010, errorMessage: "Input Error" };

    // Act / Assess
    expect(JSON.parse(failureCauseJson(cause))).toEqual(cause);
  });

  it("shortens a huge message so the cause stays within SendTaskFailure's 32,768 characters", () => {
    // Act
    const json = failureCauseJson({ jobId: "j", errorCode: 1999, errorMessage: "x".repeat(100_000) });

    // Assess
    expect(json.length).toBeLessThanOrEqual(MAX_TASK_CAUSE_CHARS);
    expect(JSON.parse(json)).toMatchObject({ jobId: "j", errorCode: 1999 });
  });
});
