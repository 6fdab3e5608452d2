import * as z from "zod/mini";
import { lambdaContextFor } from "../testing/lambda-context";
import { eventBridgeId, ingestHandler } from "./handler";
import { logger } from "./powertools";

const Schema = z.object({ assetId: z.string().check(z.regex(/^[A-Za-z0-9_-]+$/)) });
const context = lambdaContextFor("handler-test");

// The wrapper logs every failure; these tests provoke failures on purpose.
beforeAll(() => logger.setLogLevel("SILENT"));

describe("ingestHandler", () => {
  it("hands the logic its parsed input and returns the logic's result", async () => {
    // Prepare
    const handler = ingestHandler(Schema, async (input) => `seen ${input.assetId}`);

    // Act
    const result = await handler({ assetId: "lecture-01" }, context);

    // Assess
    expect(result).toBe("seen lecture-01");
  });

  it("fails input its schema refuses with Vod.InvalidTaskInput, which no retrier matches, and never runs the logic", async () => {
    // Prepare
    const logic = jest.fn(async () => "ran");
    const handler = ingestHandler(Schema, logic);

    // Act
    const act = handler({ assetId: "../../etc" }, context);

    // Assess
    await expect(act).rejects.toMatchObject({
      name: "Vod.InvalidTaskInput",
      cause: expect.objectContaining({ issues: [expect.objectContaining({ path: ["assetId"] })] }),
    });
    expect(logic).not.toHaveBeenCalled();
  });

  it("names every refused field and what it expected in the error's message, never the refused value", async () => {
    // Prepare
    const handler = ingestHandler(
      z.object({ assetId: z.string(), size: z.number(), nested: z.object({ key: z.string() }) }),
      async () => "ran",
    );

    // Act
    const act = handler({ assetId: 42, nested: { key: "secret-value" }, size: "secret-size" }, context);

    // Assess: the catalogue gets this message (Lambda's errorMessage), so it must say what is wrong.
    const error: unknown = await act.catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "input does not match its schema: assetId: Invalid input: expected string, received number; " +
        "size: Invalid input: expected number, received string",
    );
    expect((error as Error).message).not.toContain("secret");
  });

  it("turns a throttled AWS call into Vod.ServiceBusy and leaves other errors as they are", async () => {
    // Prepare
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    const busy = ingestHandler(Schema, async () => Promise.reject(throttled));
    const broken = ingestHandler(Schema, async () => Promise.reject(new RangeError("a bug")));

    // Act / Assess
    await expect(busy({ assetId: "a" }, context)).rejects.toMatchObject({ name: "Vod.ServiceBusy" });
    await expect(broken({ assetId: "a" }, context)).rejects.toMatchObject({ name: "RangeError" });
  });

  it("logs an EventBridge event's id as the correlation id when told the EventBridge path", async () => {
    // Prepare
    const handler = ingestHandler(z.object({ id: z.string() }), async () => logger.getCorrelationId(), {
      correlationId: eventBridgeId,
    });

    // Act
    const correlationId = await handler({ id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718" }, context);

    // Assess
    expect(correlationId).toBe("6a7e8feb-b491-4cf7-a9f1-bf3703467718");
  });
});
