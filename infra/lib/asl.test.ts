import { readFileSync } from "node:fs";
import { INGEST_DEFINITION_PATH, renderIngestDefinition, type IngestSubstitutions } from "./asl";
import { taskFunctionSubstitutions, workflowFunctionMap } from "./workflow-functions";

/** Every Task state's Resource, by state name (Task states nest in no Parallel or Map here). */
function taskResources(definition: { States: Record<string, { Type: string; Resource?: string }> }) {
  return Object.fromEntries(
    Object.entries(definition.States)
      .filter(([, state]) => state.Type === "Task")
      .map(([name, state]) => [name, state.Resource]),
  );
}

const VALUES: Omit<IngestSubstitutions, "Partition"> = {
  ...taskFunctionSubstitutions(
    workflowFunctionMap((folder) => `arn:aws-cn:lambda:cn-north-1:123456789012:function:${folder}`),
  ),
  CatalogueTableName: "vod-catalogue",
  AdmissionQueueUrl: "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/vod-admission",
  TranscodeHeartbeatSeconds: 960,
  TranscodeTimeoutSeconds: 262_800,
};

describe("renderIngestDefinition", () => {
  it("names the service integrations in the stack's partition (China, GovCloud), not always aws", () => {
    // Act
    const definition = JSON.parse(renderIngestDefinition({ ...VALUES, Partition: "aws-cn" }));

    // Assess: `arn:<partition>:states:::<service>:<api>` is the integration ARN in every partition
    // (step-functions/latest/dg/integrate-optimized.html); a Task naming arn:aws: is refused in aws-cn.
    const resources = taskResources(definition);
    for (const resource of Object.values(resources)) expect(resource).toMatch(/^arn:aws-cn:states:::/);
    expect(resources).toMatchObject({
      "Claim Upload": "arn:aws-cn:states:::lambda:invoke",
      "Transcode To CMAF": "arn:aws-cn:states:::sqs:sendMessage.waitForTaskToken",
      "Register With MediaPackage": "arn:aws-cn:states:::lambda:invoke",
      "Publish To Catalogue": "arn:aws-cn:states:::dynamodb:updateItem",
    });
  });

  it("keeps the committed definition pure JSON with the partition as a placeholder", () => {
    // Act
    const template = JSON.parse(readFileSync(INGEST_DEFINITION_PATH, "utf8"));

    // Assess
    for (const resource of Object.values(taskResources(template))) {
      expect(resource).toMatch(/^arn:\$\{Partition\}:states:::/);
    }
  });
});
