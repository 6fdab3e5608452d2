import { ACCOUNT_ID, outputOf, policyOf, REGION, setupPulumiMocks } from "../test/pulumi/mocks";
import { transcodeHeartbeatSeconds, transcodeTimeoutSeconds } from "./lib/timing";
import { workflowFunctionMap } from "./lib/workflow-functions";
import { Workflow } from "./workflow";

const mocks = setupPulumiMocks();

beforeEach(() => mocks.reset());

const FN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function`;
const CATALOGUE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/vod-catalogue`;
const ADMISSION_QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:vod-admission`;
const ADMISSION_QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/vod-admission`;

async function build(): Promise<Workflow> {
  const workflow = new Workflow("vod-ingest", {
    stateMachineName: "vod-ingest-dev-ingest",
    // Every function the definition's Tasks name (a Task function added to the table needs no edit here).
    taskFunctionArns: workflowFunctionMap((folder) => `${FN}:${folder}`),
    catalogueTableName: "vod-catalogue",
    catalogueTableArn: CATALOGUE_ARN,
    admissionQueue: { url: ADMISSION_QUEUE_URL, arn: ADMISSION_QUEUE_ARN },
    reconcileIntervalMinutes: 5,
    maxQueueWaitHours: 24,
    logRetentionDays: 30,
  });
  await mocks.settle();
  return workflow;
}

describe("transcode wait", () => {
  it("tolerates two missed reconciler runs before the heartbeat times out", () => {
    expect(transcodeHeartbeatSeconds(5)).toBe(960);
    expect(transcodeHeartbeatSeconds(1)).toBe(240);
  });

  it("outlasts MediaConvert's 48-hour limit plus the accepted queue wait, with an hour to spare", () => {
    expect(transcodeTimeoutSeconds(24 * 60)).toBe(262_800);
    expect(transcodeTimeoutSeconds(1 * 60)).toBe(180_000);
  });
});

describe("Workflow", () => {
  it("creates a named Standard state machine with error logging and tracing", async () => {
    // Act
    const workflow = await build();

    // Assess
    const machine = mocks.resourceNamed("vod-ingest", "aws:sfn/stateMachine:StateMachine");
    const logGroup = mocks.resourceNamed("vod-ingest-logs");
    expect(logGroup.inputs).toEqual({
      name: "/aws/vendedlogs/states/vod-ingest-dev-ingest",
      retentionInDays: 30,
    });
    expect(machine.inputs).toMatchObject({
      name: "vod-ingest-dev-ingest",
      type: "STANDARD",
      loggingConfiguration: {
        level: "ERROR",
        includeExecutionData: false,
        logDestination: `${logGroup.state.arn}:*`,
      },
      tracingConfiguration: { enabled: true },
    });
    expect(await outputOf(workflow.stateMachineArn)).toBe(machine.state.arn);
    expect(await outputOf(workflow.consoleUrl)).toBe(
      `https://${REGION}.console.aws.amazon.com/states/home?region=${REGION}#/statemachines/view/${machine.state.arn}`,
    );
  });

  it("renders the definition with the deployed functions, table and wait limits", async () => {
    // Act
    await build();

    // Assess
    const definition = JSON.parse(
      mocks.resourceNamed("vod-ingest", "aws:sfn/stateMachine:StateMachine").inputs.definition,
    );
    expect(definition.States["Claim Upload"].Parameters.FunctionName).toBe(`${FN}:claim-upload`);
    // "Transcode To CMAF" sends the title to the admission queue, which submit-job drains.
    expect(definition.States["Transcode To CMAF"].Parameters.QueueUrl).toBe(ADMISSION_QUEUE_URL);
    expect(definition.States["Register With MediaPackage"].Parameters.FunctionName).toBe(
      `${FN}:register-asset`,
    );
    expect(definition.States["Publish To Catalogue"].Parameters.TableName).toBe("vod-catalogue");
    expect(definition.States["Transcode To CMAF"].HeartbeatSeconds).toBe(960);
    expect(definition.States["Transcode To CMAF"].TimeoutSeconds).toBe(262_800);
  });

  it("gives the role its tasks plus the log-delivery and X-Ray actions CreateStateMachine requires", async () => {
    // Act
    await build();

    // Assess
    const role = mocks.resourceNamed("vod-ingest-role");
    // Only Step Functions running this state machine for this account may assume it; the ARN is
    // built from the name (the machine needs the role first).
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Principal: { Service: "states.amazonaws.com" },
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          ArnEquals: {
            "aws:SourceArn": `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:vod-ingest-dev-ingest`,
          },
        },
      },
    ]);
    expect(policyOf(mocks.resourceNamed("vod-ingest-policy")).Statement).toEqual([
      { Sid: "AdmitTitles", Effect: "Allow", Action: "sqs:SendMessage", Resource: ADMISSION_QUEUE_ARN },
      {
        Sid: "InvokeTaskFunctions",
        Effect: "Allow",
        Action: "lambda:InvokeFunction",
        Resource: [
          `${FN}:register-asset:*`,
          `${FN}:register-asset`,
          `${FN}:claim-upload:*`,
          `${FN}:claim-upload`,
        ],
      },
      { Sid: "PublishToCatalogue", Effect: "Allow", Action: "dynamodb:UpdateItem", Resource: CATALOGUE_ARN },
      {
        Sid: "DeliverLogs",
        Effect: "Allow",
        Action: [
          "logs:UpdateLogDelivery",
          "logs:PutResourcePolicy",
          "logs:ListLogDeliveries",
          "logs:GetLogDelivery",
          "logs:DescribeResourcePolicies",
          "logs:DescribeLogGroups",
          "logs:DeleteLogDelivery",
          "logs:CreateLogDelivery",
        ],
        Resource: "*",
      },
      {
        Sid: "SendTraces",
        Effect: "Allow",
        Action: [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingTargets",
          "xray:GetSamplingRules",
        ],
        Resource: "*",
      },
    ]);
  });
});
