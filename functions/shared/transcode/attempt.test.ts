import { correlationIdFor } from "./attempt";

const EXECUTION_ARN = "arn:aws:states:us-west-2:111122223333:execution:vod-ingest:2f0c7d1e";

describe("correlationIdFor", () => {
  it("is 32 hex characters, the same for every retry of one execution attempt", () => {
    // Act
    const first = correlationIdFor(EXECUTION_ARN, 0);

    // Assess
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(correlationIdFor(EXECUTION_ARN, 0)).toBe(first);
  });

  it("changes after a redrive, so a redriven transcode gets a fresh job", () => {
    expect(correlationIdFor(EXECUTION_ARN, 1)).not.toBe(correlationIdFor(EXECUTION_ARN, 0));
  });
});
