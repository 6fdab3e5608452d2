import { outputOf, setupPulumiMocks } from "../../test/pulumi/mocks";
import { hasTagsInput } from "../../test/pulumi/tags-input";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { nativeTags, TAGGED_AWS_TYPES, tagResources } from "./tags";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

describe("TAGGED_AWS_TYPES", () => {
  it("lists only types whose resources take a tags input in the installed provider", () => {
    for (const type of TAGGED_AWS_TYPES) expect([type, hasTagsInput(type)]).toEqual([type, true]);
  });
});

describe("tagResources", () => {
  it("adds the stack's tags to a taggable resource and keeps the resource's own tags on top", async () => {
    // Act
    new aws.sqs.Queue(
      "q",
      { tags: { purpose: "dlq" } },
      { transformations: [tagResources({ "vod:stack": "s" })] },
    );
    new aws.sqs.Queue("plain", {}, { transformations: [tagResources({ "vod:stack": "s" })] });
    await mocks.settle();

    // Assess
    expect(mocks.resourceNamed("q").inputs.tags).toEqual({ "vod:stack": "s", purpose: "dlq" });
    expect(mocks.resourceNamed("plain").inputs.tags).toEqual({ "vod:stack": "s" });
  });

  it("leaves resources without a tags input alone", async () => {
    // Act
    new aws.sqs.QueuePolicy(
      "p",
      { queueUrl: "u", policy: "{}" },
      { transformations: [tagResources({ a: "b" })] },
    );
    await mocks.settle();

    // Assess
    expect(mocks.resourceNamed("p").inputs.tags).toBeUndefined();
  });

  it("merges with tags that are still outputs", async () => {
    // Act
    new aws.sqs.Queue(
      "late",
      { tags: pulumi.output({ purpose: "late" }) },
      { transformations: [tagResources({ "vod:stack": "s" })] },
    );
    await mocks.settle();

    // Assess
    expect(await outputOf(mocks.resourceNamed("late").inputs.tags)).toEqual({
      "vod:stack": "s",
      purpose: "late",
    });
  });
});

describe("nativeTags", () => {
  it("turns a tag map into aws-native's key/value list, in key order", () => {
    expect(nativeTags({ "vod:stack": "s", team: "media" })).toEqual([
      { key: "team", value: "media" },
      { key: "vod:stack", value: "s" },
    ]);
  });
});
