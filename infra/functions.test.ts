import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { ACCOUNT_ID, policyOf, REGION, setupPulumiMocks } from "../test/pulumi/mocks";
import { DEFAULT_CONFIG } from "./config";
import { IngestFunctions } from "./functions";
import { FUNCTIONS_DIR } from "./lib/bundle";
import { FUNCTION_ENV_SCHEMAS, FUNCTION_FOLDERS, FUNCTION_SIZING } from "./lib/function-table";

/**
 * IngestFunctions alone, wired to fixed names: one Lambda per folder of lib/function-table.ts,
 * sized from it, with exactly the environment its handler's env schema reads. (The exact IAM of
 * each function, in the whole program, is asserted in index.test.ts.)
 */
const mocks = setupPulumiMocks();

const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;

beforeAll(async () => {
  new IngestFunctions("vod", {
    config: DEFAULT_CONFIG,
    sourceBucketArn: "arn:aws:s3:::vod-source",
    outputBucketName: "vod-output",
    outputBucketArn: "arn:aws:s3:::vod-output",
    catalogueTableName: "vod-catalogue",
    catalogueTableArn: arn("dynamodb", "table/vod-catalogue"),
    ledgerTableName: "vod-ledger",
    ledgerTableArn: arn("dynamodb", "table/vod-ledger"),
    mediaConvertQueueArn: arn("mediaconvert", "queues/vod-queue"),
    mediaConvertRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/vod-mediaconvert`,
    admissionQueue: {
      url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/vod-admission`,
      arn: arn("sqs", "vod-admission"),
    },
    packagingGroupId: "vod-group",
    packagingConfigurations: { hls: "vod-hls", dash: "vod-dash", cmaf: "vod-cmaf" },
    packagingRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/vod-packaging`,
    stateMachineName: "vod-ingest-dev-ingest",
    cdnBaseUrl: "https://d111111abcdef8.cloudfront.net",
    signingKeySecretArn: arn("secretsmanager", "secret:vod-signing-key-AbCdEf"),
  });
  await mocks.settle();
}, 180_000);

const lambda = (folder: string) => mocks.resourceNamed(`vod-${folder}`, "aws:lambda/function:Function");

describe("IngestFunctions", () => {
  it("deploys every folder of functions/ that has a handler.ts", () => {
    // Prepare
    const handlers = readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && existsSync(path.join(FUNCTIONS_DIR, entry.name, "handler.ts")),
      )
      .map((entry) => entry.name);

    // Assess
    expect([...FUNCTION_FOLDERS].sort()).toEqual(handlers.sort());
  });

  it("builds one function per folder of the sizing table, and no other", () => {
    // Assess
    expect(
      mocks
        .resourcesOfType("aws:lambda/function:Function")
        .map((f) => f.name)
        .sort(),
    ).toEqual(FUNCTION_FOLDERS.map((folder) => `vod-${folder}`).sort());
  });

  it.each(FUNCTION_FOLDERS)("sizes %s as lib/function-table.ts says", (folder) => {
    // Assess
    const { inputs } = lambda(folder);
    expect({ timeoutSeconds: inputs.timeout, memoryMb: inputs.memorySize }).toEqual(FUNCTION_SIZING[folder]);
  });

  it.each(FUNCTION_FOLDERS)("gives %s exactly the variables its env schema reads", (folder) => {
    // Assess: the schema's variables, plus the two every function gets from nodeFunction.
    const variables = Object.keys(lambda(folder).inputs.environment.variables as Record<string, string>);
    expect(variables.sort()).toEqual(
      [...Object.keys(FUNCTION_ENV_SCHEMAS[folder].shape), "NODE_OPTIONS", "POWERTOOLS_SERVICE_NAME"].sort(),
    );
  });

  it.each(FUNCTION_FOLDERS)("gives %s an environment its own schema accepts", (folder) => {
    // Assess
    const variables = lambda(folder).inputs.environment.variables as Record<string, string>;
    expect(FUNCTION_ENV_SCHEMAS[folder].safeParse(variables).success).toBe(true);
  });

  it.each(FUNCTION_FOLDERS)("gives %s a role, a log group and a policy of its own", (folder) => {
    // Assess
    const role = mocks.resourceNamed(`vod-${folder}-role`, "aws:iam/role:Role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } },
    ]);
    expect(mocks.resourceNamed(`vod-${folder}-logs`, "aws:cloudwatch/logGroup:LogGroup").inputs.name).toBe(
      `/aws/lambda/vod-ingest-dev-${folder}`,
    );
    expect(mocks.resourceNamed(`vod-${folder}-policy`, "aws:iam/rolePolicy:RolePolicy").inputs.role).toBe(
      `vod-${folder}-role`,
    );
  });

  it("points record-failure at the failed-executions queue it creates", () => {
    // Assess
    const queue = mocks.resourceNamed("vod-failures", "aws:sqs/queue:Queue");
    expect(queue.inputs.sqsManagedSseEnabled).toBe(true);
    expect(lambda("record-failure").inputs.environment.variables.FAILURES_QUEUE_URL).toBe(
      `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/vod-failures`,
    );
  });
});
