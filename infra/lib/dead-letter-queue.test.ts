import * as aws from "@pulumi/aws";
import { outputOf, policyOf, setupPulumiMocks } from "../../test/pulumi/mocks";
import { allowEventBridgeToSend, deadLetterQueue, retentionSeconds } from "./dead-letter-queue";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

describe("retentionSeconds", () => {
  it("turns whole days into seconds", () => {
    expect(retentionSeconds(1)).toBe(86_400);
    expect(retentionSeconds(14)).toBe(1_209_600);
  });

  it.each([0, 15, -1, 1.5, Number.NaN])("refuses %p days, which SQS would reject", (days) => {
    expect(() => retentionSeconds(days)).toThrow(RangeError);
  });
});

describe("deadLetterQueue", () => {
  it("creates a standard queue encrypted with SQS-managed keys that keeps messages for the given days", async () => {
    // Act
    deadLetterQueue("test-dlq", { retentionDays: 14 });
    await mocks.settle();

    // Assess
    const queue = mocks.resourceNamed("test-dlq", "aws:sqs/queue:Queue");
    expect(queue.inputs).toEqual({ sqsManagedSseEnabled: true, messageRetentionSeconds: 1_209_600 });
    expect(queue.inputs.fifoQueue).toBeUndefined();
  });
});

describe("allowEventBridgeToSend", () => {
  it("lets only the given EventBridge rules send to the queue", async () => {
    // Prepare
    const queue = deadLetterQueue("test-dlq", { retentionDays: 3 });
    const rules = [
      new aws.cloudwatch.EventRule("test-upload-rule", { eventPattern: "{}" }),
      new aws.cloudwatch.EventRule("test-job-rule", { eventPattern: "{}" }),
    ];

    // Act
    const policy = allowEventBridgeToSend(
      "test-dlq-policy",
      queue,
      rules.map((r) => r.arn),
    );
    await mocks.settle();

    // Assess
    const recorded = mocks.resourceNamed("test-dlq-policy", "aws:sqs/queuePolicy:QueuePolicy");
    expect(recorded.inputs.queueUrl).toBe(await outputOf(queue.url));
    expect(policyOf(recorded)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EventBridgeDeadLetters",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: "arn:aws:sqs:us-east-1:123456789012:test-dlq",
          Condition: {
            ArnEquals: {
              "aws:SourceArn": [
                "arn:aws:events:us-east-1:123456789012:rule/test-upload-rule",
                "arn:aws:events:us-east-1:123456789012:rule/test-job-rule",
              ],
            },
          },
        },
      ],
    });
    expect(await outputOf(policy.queueUrl)).toBe("https://sqs.us-east-1.amazonaws.com/123456789012/test-dlq");
  });

  it("refuses an empty rule list instead of writing a policy without a source condition", () => {
    // Prepare
    const queue = deadLetterQueue("test-dlq", { retentionDays: 3 });

    // Act / Assess
    expect(() => allowEventBridgeToSend("test-dlq-policy", queue, [])).toThrow("at least one rule ARN");
  });
});
