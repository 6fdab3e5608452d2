import {
  ACCOUNT_ID,
  outputOf,
  policyOf,
  REGION,
  setStackConfig,
  setupPulumiMocks,
  type PolicyStatement,
  type RecordedResource,
} from "../test/pulumi/mocks";
import { hasTagsInput } from "../test/pulumi/tags-input";
import { UNTAGGED_AWS_TYPES } from "./lib/tags";
import { physicalName } from "./lib/naming";

/**
 * The whole program (infra/index.ts) under mocks, with the default configuration of
 * Pulumi.dev.yaml: what the first `pulumi up` would create. It runs once (bundling six handlers
 * takes a while) and every test reads the recorded resources.
 */
const mocks = setupPulumiMocks();
let stack: typeof import("./index");

beforeAll(async () => {
  // Required only now, after the mocks are installed: the program creates resources as it loads.
  stack = jest.requireActual<typeof import("./index")>("./index");
  await mocks.settle();
}, 180_000);

const MARKER = "vod-ingest-dev";
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${resource}`;
const SOURCE = "arn:aws:s3:::vod-source";
const OUTPUT = "arn:aws:s3:::vod-output";
const CATALOGUE = arn("dynamodb", "table/vod-catalogue");
const LEDGER = arn("dynamodb", "table/vod-ledger");
const MEDIACONVERT_QUEUE = arn("mediaconvert", "queues/vod-transcoding-queue");
const MEDIACONVERT_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/vod-transcoding-role`;
const PACKAGING_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/vod-packaging-source-role`;
const STATE_MACHINE = arn("states", `stateMachine:${MARKER}-ingest`);
const FAILURES_QUEUE = arn("sqs", "vod-failures");
const ADMISSION_QUEUE = arn("sqs", "vod-admission-queue");
const FOLDERS = [
  "claim-upload",
  "submit-job",
  "handle-job-event",
  "reconcile-jobs",
  "register-asset",
  "record-failure",
];

const lambda = (folder: string) => mocks.resourceNamed(`vod-${folder}`, "aws:lambda/function:Function");

/** A statement with every list sorted, so comparisons do not depend on the provider's set order. */
function normalise(statement: PolicyStatement): Record<string, unknown> {
  const list = (value: string | string[] | undefined) =>
    value === undefined ? undefined : [value].flat().sort();
  const out: Record<string, unknown> = {
    ...statement,
    Action: list(statement.Action),
    Resource: list(statement.Resource),
  };
  if (statement.Condition) {
    out.Condition = Object.fromEntries(
      Object.entries(statement.Condition).map(([test, keys]) => [
        test,
        Object.fromEntries(Object.entries(keys).map(([key, values]) => [key, list(values)])),
      ]),
    );
  }
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

/** Every policy document the program creates: role trust and inline policies, queue, bucket and key policies. */
function everyPolicy(): { resource: RecordedResource; statements: PolicyStatement[] }[] {
  const keys: Record<string, string> = {
    "aws:iam/role:Role": "assumeRolePolicy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:kms/key:Key": "policy",
  };
  return mocks.resources
    .filter((r) => keys[r.type] !== undefined)
    .map((resource) => ({ resource, statements: policyOf(resource, keys[resource.type]).Statement }));
}

/** The base statements nodeFunction gives every function. */
function base(folder: string) {
  return [
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`${arn("logs", `log-group:/aws/lambda/${MARKER}-${folder}`)}:*`],
    },
    {
      Sid: "SendTraces",
      Effect: "Allow",
      Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
      Resource: ["*"],
    },
  ];
}

describe("the stack", () => {
  it("exports the documented outputs", async () => {
    // Assess
    expect(Object.keys(stack).sort()).toEqual([
      "activeKeyPairId",
      "admissionQueueUrl",
      "alarmTopicArn",
      "catalogueTableName",
      "cdnBaseUrl",
      "cdnDistributionId",
      "cdnDomainName",
      "cdnIdentifierSecretArn",
      "deadLetterQueueUrls",
      "keyGroupId",
      "ledgerTableName",
      "outputBucketName",
      "packagingGroupId",
      "playbackSessionUrl",
      "signingKeySecretArn",
      "sourceBucketConsoleUrl",
      "sourceBucketName",
      "stateMachineArn",
      "stateMachineConsoleUrl",
      "viewerSignInUrl",
      "viewerUrl",
      "viewerUserPoolId",
      "webAclArn",
    ]);
    expect(await outputOf(stack.sourceBucketName)).toBe("vod-source");
    expect(await outputOf(stack.sourceBucketConsoleUrl)).toBe(
      `https://${REGION}.console.aws.amazon.com/s3/buckets/vod-source?region=${REGION}`,
    );
    expect(await outputOf(stack.outputBucketName)).toBe("vod-output");
    expect(await outputOf(stack.stateMachineArn)).toBe(STATE_MACHINE);
    expect(await outputOf(stack.stateMachineConsoleUrl)).toContain(`#/statemachines/view/${STATE_MACHINE}`);
    expect(await outputOf(stack.catalogueTableName)).toBe("vod-catalogue");
    expect(await outputOf(stack.ledgerTableName)).toBe("vod-ledger");
    expect(await outputOf(stack.packagingGroupId)).toBe(`${MARKER}-vod`);
    expect(await outputOf(stack.alarmTopicArn)).toBe(arn("sns", "vod-alarms-topic"));
    const distribution = mocks.resourceNamed("vod-delivery-distribution");
    expect(await outputOf(stack.cdnDomainName)).toBe(distribution.state.domainName);
    expect(await outputOf(stack.cdnBaseUrl)).toBe(`https://${distribution.state.domainName}`);
    expect(await outputOf(stack.cdnDistributionId)).toBe(distribution.id);
    expect(await outputOf(stack.viewerUrl)).toBe(
      `https://${distribution.state.domainName}/viewer/index.html`,
    );
    expect(await outputOf(stack.playbackSessionUrl)).toBe(
      `https://${distribution.state.domainName}/auth/v1/{assetId}/session`,
    );
    expect(await outputOf(stack.keyGroupId)).toBe(mocks.resourceNamed("vod-signing-key-group").id);
    expect(await outputOf(stack.activeKeyPairId)).toBe(mocks.resourceNamed("vod-signing-key-generated").id);
    expect(await outputOf(stack.signingKeySecretArn)).toBe(mocks.resourceNamed("vod-signing-secret").id);
    expect(await outputOf(stack.cdnIdentifierSecretArn)).toBe(
      mocks.resourceNamed("vod-packaging-cdn-identifier-secret").id,
    );
    expect(stack.webAclArn).toBeUndefined();
    expect(await outputOf(stack.viewerSignInUrl!)).toMatch(
      new RegExp(`^https://${MARKER}-[0-9a-f]{8}\\.auth\\.${REGION}\\.amazoncognito\\.com$`),
    );
    expect(await outputOf(stack.viewerUserPoolId!)).toBe(mocks.resourceNamed("vod-viewers-user-pool").id);
    const urls = await outputOf(stack.deadLetterQueueUrls);
    expect(Object.keys(urls)).toEqual([
      "uploads",
      "job-events",
      "job-event-failures",
      "execution-events",
      "execution-event-failures",
      "reconciler",
      "reconciler-failures",
      "admission",
      "failed-executions",
    ]);
    expect(urls["failed-executions"]).toBe(`https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/vod-failures`);
  });

  it("creates a Standard state machine with logging, tracing and the log-delivery and X-Ray permissions", () => {
    // Assess
    const machine = mocks.resourceNamed("vod-ingest", "aws:sfn/stateMachine:StateMachine");
    expect(machine.inputs).toMatchObject({
      type: "STANDARD",
      loggingConfiguration: { level: "ERROR", includeExecutionData: false },
      tracingConfiguration: { enabled: true },
    });
    const actions = policyOf(mocks.resourceNamed("vod-ingest-policy")).Statement.flatMap((s) =>
      [s.Action ?? []].flat(),
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
      ]),
    );
  });

  it("renders the definition with the ARNs of the deployed functions", () => {
    // Assess
    const definition = JSON.parse(
      mocks.resourceNamed("vod-ingest", "aws:sfn/stateMachine:StateMachine").inputs.definition,
    );
    expect(definition.States["Claim Upload"].Parameters.FunctionName).toBe(lambda("claim-upload").state.arn);
    expect(definition.States["Transcode To CMAF"].Parameters.QueueUrl).toBe(
      mocks.resourceNamed("vod-admission-queue").state.url,
    );
    expect(definition.States["Register With MediaPackage"].Parameters.FunctionName).toBe(
      lambda("register-asset").state.arn,
    );
    expect(definition.States["Publish To Catalogue"].Parameters.TableName).toBe("vod-catalogue");
  });

  it.each(FOLDERS)("runs %s on Node.js 24 (arm64), traced, logging JSON to its own log group", (folder) => {
    // Assess
    const fn = lambda(folder);
    expect(fn.inputs).toMatchObject({
      name: `${MARKER}-${folder}`,
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      handler: "index.handler",
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "JSON", logGroup: `/aws/lambda/${MARKER}-${folder}` },
      environment: { variables: { NODE_OPTIONS: "--enable-source-maps", POWERTOOLS_SERVICE_NAME: folder } },
    });
    expect(mocks.resourceNamed(`vod-${folder}-logs`).inputs).toEqual({
      name: `/aws/lambda/${MARKER}-${folder}`,
      retentionInDays: 30,
      tags: { "vod:stack": MARKER },
    });
    expect(policyOf(mocks.resourceNamed(`vod-${folder}-role`), "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } },
    ]);
  });

  it("gives each function the environment functions/README.md lists", () => {
    // Assess
    const env = (folder: string) => lambda(folder).inputs.environment.variables as Record<string, string>;
    const common = { NODE_OPTIONS: "--enable-source-maps" };
    expect(env("claim-upload")).toEqual({
      ...common,
      POWERTOOLS_SERVICE_NAME: "claim-upload",
      CATALOGUE_TABLE: "vod-catalogue",
      LEDGER_TABLE: "vod-ledger",
      ACCEPTED_EXTENSIONS: "mp4,mov,m4v,mkv,mxf,webm,avi,mpg,mpeg,ts",
    });
    expect(env("submit-job")).toEqual({
      ...common,
      POWERTOOLS_SERVICE_NAME: "submit-job",
      CATALOGUE_TABLE: "vod-catalogue",
      LEDGER_TABLE: "vod-ledger",
      OUTPUT_BUCKET: "vod-output",
      MEDIACONVERT_QUEUE_ARN: MEDIACONVERT_QUEUE,
      MEDIACONVERT_ROLE_ARN: MEDIACONVERT_ROLE,
      STACK_MARKER: MARKER,
      LADDER_TOP_RUNG: "1080",
      PACKAGING_SOURCE: "hls-ts",
      JOB_TAGS: JSON.stringify({ "vod:stack": MARKER }),
      ADMISSION_QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/vod-admission-queue`,
      CREATE_JOB_RATE: "10",
      ADMISSION_CONCURRENCY: "2",
    });
    expect(env("handle-job-event")).toEqual({
      ...common,
      POWERTOOLS_SERVICE_NAME: "handle-job-event",
      CATALOGUE_TABLE: "vod-catalogue",
      LEDGER_TABLE: "vod-ledger",
      STACK_MARKER: MARKER,
      STALLED_JOB_MINUTES: "60",
    });
    expect(env("reconcile-jobs")).toEqual({
      ...common,
      POWERTOOLS_SERVICE_NAME: "reconcile-jobs",
      CATALOGUE_TABLE: "vod-catalogue",
      LEDGER_TABLE: "vod-ledger",
      LEDGER_WAITING_INDEX: "waiting-tasks",
      MAX_QUEUE_WAIT_MINUTES: "1440",
      STALLED_JOB_MINUTES: "60",
    });
    expect(env("register-asset")).toEqual({
      ...common,
      POWERTOOLS_SERVICE_NAME: "register-asset",
      CATALOGUE_TABLE: "vod-catalogue",
      PACKAGING_SOURCE: "hls-ts",
      PACKAGING_GROUP_ID: `${MARKER}-vod`,
      PACKAGING_ROLE_ARN: PACKAGING_ROLE,
      PACKAGING_CONFIGURATIONS: JSON.stringify({
        hls: `${MARKER}-hls`,
        dash: `${MARKER}-dash`,
        cmaf: `${MARKER}-cmaf`,
      }),
      // The distribution's default host (the mocks name it d<13 hex>.cloudfront.net): rows get CDN URLs.
      CDN_BASE_URL: expect.stringMatching(/^https:\/\/d[0-9a-f]{13}\.cloudfront\.net$/),
      OUTPUT_BUCKET: "vod-output",
      REMOVE_SUPERSEDED_OUTPUTS: "true",
      PACKAGING_ASSET_QUOTA: "10000",
    });
    expect(env("record-failure")).toEqual({
      ...common,
      POWERTOOLS_SERVICE_NAME: "record-failure",
      CATALOGUE_TABLE: "vod-catalogue",
      FAILURES_QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/vod-failures`,
    });
  });

  it("scopes each function's policy to its own buckets, tables, queues and services", () => {
    // Prepare
    const statements = (folder: string) =>
      policyOf(mocks.resourceNamed(`vod-${folder}-policy`)).Statement.map(normalise);
    const allow = (Sid: string, Action: string[], Resource: string[], Condition?: object) =>
      normalise({
        Sid,
        Effect: "Allow",
        Action,
        Resource,
        ...(Condition ? { Condition } : {}),
      } as PolicyStatement);
    const sendTask = allow(
      "CompleteTranscodeTasks",
      ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
      [STATE_MACHINE],
    );

    // Assess
    expect(statements("claim-upload")).toEqual([
      ...base("claim-upload"),
      allow("ReadSource", ["s3:GetObject", "s3:GetObjectVersion"], [`${SOURCE}/*`]),
      allow("ListSource", ["s3:ListBucket"], [SOURCE]),
      allow("ProbeSource", ["mediaconvert:Probe"], ["*"]),
      allow("Claims", ["dynamodb:GetItem", "dynamodb:PutItem"], [LEDGER]),
      allow("Catalogue", ["dynamodb:UpdateItem"], [CATALOGUE]),
    ]);
    expect(statements("submit-job")).toEqual([
      ...base("submit-job"),
      allow(
        "DrainAdmissionQueue",
        ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
        [ADMISSION_QUEUE],
      ),
      sendTask,
      allow("CreateJob", ["mediaconvert:CreateJob"], [MEDIACONVERT_QUEUE]),
      allow("FindLostJob", ["mediaconvert:ListJobs"], [MEDIACONVERT_QUEUE]),
      allow("TagJobs", ["mediaconvert:TagResource"], [arn("mediaconvert", "jobs/*")]),
      allow("PassMediaConvertRole", ["iam:PassRole"], [MEDIACONVERT_ROLE], {
        StringEquals: { "iam:PassedToService": "mediaconvert.amazonaws.com" },
      }),
      allow("ReadCurrentSourceVersion", ["s3:GetObject"], [`${SOURCE}/*`]),
      allow("ListSource", ["s3:ListBucket"], [SOURCE]),
      allow("TaskAndCatalogue", ["dynamodb:UpdateItem"], [LEDGER, CATALOGUE]),
    ]);
    expect(statements("handle-job-event")).toEqual([
      ...base("handle-job-event"),
      sendTask,
      allow("WaitingTasks", ["dynamodb:GetItem", "dynamodb:UpdateItem"], [LEDGER]),
      allow("Catalogue", ["dynamodb:UpdateItem"], [CATALOGUE]),
    ]);
    expect(statements("reconcile-jobs")).toEqual([
      ...base("reconcile-jobs"),
      allow("ReadJobs", ["mediaconvert:GetJob"], [arn("mediaconvert", "jobs/*")]),
      sendTask,
      allow("OpenTasks", ["dynamodb:Query"], [`${LEDGER}/index/waiting-tasks`]),
      allow("WaitingTasks", ["dynamodb:UpdateItem"], [LEDGER]),
      allow("Catalogue", ["dynamodb:UpdateItem"], [CATALOGUE]),
    ]);
    expect(statements("register-asset")).toEqual([
      ...base("register-asset"),
      allow("ReadCurrentSourceVersion", ["s3:GetObject"], [`${SOURCE}/*`]),
      allow("ListSource", ["s3:ListBucket"], [SOURCE]),
      allow("ListSourceVersions", ["s3:ListBucketVersions"], [SOURCE]),
      allow("DeleteOlderAssets", ["mediapackage-vod:DeleteAsset"], [arn("mediapackage-vod", "assets/*")]),
      allow("CountAssets", ["mediapackage-vod:ListAssets"], ["*"]),
      allow("ListOutputs", ["s3:ListBucket"], [OUTPUT]),
      allow("DeleteOlderOutputs", ["s3:DeleteObject"], [`${OUTPUT}/*`]),
      allow("CreateAsset", ["mediapackage-vod:CreateAsset"], ["*"]),
      allow("DescribeAsset", ["mediapackage-vod:DescribeAsset"], [arn("mediapackage-vod", "assets/*")]),
      allow("PassPackagingRole", ["iam:PassRole"], [PACKAGING_ROLE], {
        StringEquals: { "iam:PassedToService": "mediapackage-vod.amazonaws.com" },
      }),
      allow("Catalogue", ["dynamodb:UpdateItem"], [CATALOGUE]),
    ]);
    expect(statements("record-failure")).toEqual([
      ...base("record-failure"),
      allow(
        "ReadFailedExecution",
        ["states:GetExecutionHistory"],
        [arn("states", `execution:${MARKER}-ingest:*`)],
      ),
      allow("ReportFailure", ["sqs:SendMessage"], [FAILURES_QUEUE]),
      allow("Catalogue", ["dynamodb:UpdateItem"], [CATALOGUE]),
    ]);
  });

  it("lets only the distribution read the output bucket, besides refusing plain HTTP", () => {
    // Assess
    const distribution = mocks.resourceNamed("vod-delivery-distribution");
    expect(policyOf(mocks.resourceNamed("vod-output-policy")).Statement).toEqual([
      expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny" }),
      {
        Sid: "CloudFrontReadsObjects",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::vod-output/*",
        Condition: { StringEquals: { "AWS:SourceArn": distribution.state.arn } },
      },
    ]);
    // The source bucket (masters) is never a CloudFront origin.
    expect(policyOf(mocks.resourceNamed("vod-source-policy")).Statement.map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
    ]);
  });

  it("sends MediaPackage the CDN identifier its secret holds, and locks the group with that secret", () => {
    // Assess
    const secret = JSON.parse(
      mocks.resourceNamed("vod-packaging-cdn-identifier-version").inputs.secretString as string,
    ) as Record<string, string>;
    const uuid = mocks.resourceNamed("vod-packaging-cdn-identifier").state.result as string;
    expect(secret).toEqual({ MediaPackageCDNIdentifier: uuid });
    const [origin] = (
      mocks.resourceNamed("vod-delivery-distribution").inputs.origins as {
        originId: string;
        customHeaders?: unknown;
      }[]
    ).filter((o) => o.originId === "mediapackage");
    expect(origin?.customHeaders).toEqual([{ name: "X-MediaPackage-CDNIdentifier", value: uuid }]);
    expect(mocks.resourceNamed("vod-packaging-group").inputs.authorization).toEqual({
      cdnIdentifierSecret: mocks.resourceNamed("vod-packaging-cdn-identifier-secret").id,
      secretsRoleArn: mocks.resourceNamed("vod-packaging-cdn-auth-role").state.arn,
    });
  });

  it("points Cognito's viewer client back at the viewer page on the CDN host", () => {
    // Assess
    const domain = mocks.resourceNamed("vod-delivery-distribution").state.domainName as string;
    const client = mocks.resourceNamed("vod-viewers-viewer-client").inputs;
    expect(client.callbackUrls).toEqual([`https://${domain}/viewer/index.html`]);
    expect(client.generateSecret).toBe(false);
    expect(client.allowedOauthFlows).toEqual(["code"]);
  });

  it("allows no wildcard action outside the alarm key's policy", () => {
    // Assess
    // The key policy's two statements are the forms AWS documents (the default account-root
    // statement, kms:*, and CloudWatch's kms:GenerateDataKey* for encrypted SNS topics); a key
    // policy's grants apply to that one key only.
    const keyPolicyExceptions = new Set(["AccountOwnsKey", "CloudWatchAlarmsPublish"]);
    const wildcards = everyPolicy().flatMap(({ resource, statements }) =>
      statements
        .filter((s) => s.Effect === "Allow" && [s.Action ?? []].flat().some((action) => action.includes("*")))
        .filter((s) => !(resource.type === "aws:kms/key:Key" && keyPolicyExceptions.has(s.Sid ?? "")))
        .map((s) => `${resource.name}: ${JSON.stringify(s.Action)}`),
    );
    expect(wildcards).toEqual([]);
  });

  it("passes roles only to MediaConvert and MediaPackage, each conditioned on iam:PassedToService", () => {
    // Assess
    const passRoles = everyPolicy().flatMap(({ resource, statements }) =>
      statements
        .filter((s) => [s.Action ?? []].flat().some((a) => a === "iam:PassRole" || a === "iam:*"))
        .map((s) => ({ policy: resource.name, resource: s.Resource, condition: s.Condition })),
    );
    expect(passRoles).toHaveLength(3);
    expect(passRoles).toEqual(
      expect.arrayContaining([
        {
          policy: "vod-submit-job-policy",
          resource: MEDIACONVERT_ROLE,
          condition: { StringEquals: { "iam:PassedToService": "mediaconvert.amazonaws.com" } },
        },
        {
          policy: "vod-packaging-cdn-auth-policy",
          resource: `arn:aws:iam::${ACCOUNT_ID}:role/vod-packaging-cdn-auth-role`,
          condition: { StringEquals: { "iam:PassedToService": "mediapackage.amazonaws.com" } },
        },
        {
          policy: "vod-register-asset-policy",
          resource: PACKAGING_ROLE,
          condition: { StringEquals: { "iam:PassedToService": "mediapackage-vod.amazonaws.com" } },
        },
      ]),
    );
  });

  it("tags every taggable resource with the stack's marker, the packaging group and configurations too", () => {
    // Prepare: what the installed provider says takes tags, whatever the list in lib/tags.ts says.
    const taggable = mocks.resources.filter(
      (r) => r.custom && hasTagsInput(r.type) && !UNTAGGED_AWS_TYPES.includes(r.type),
    );
    const native = mocks.resources.filter((r) => r.type.startsWith("aws-native:mediapackage:"));

    // Assess
    expect(taggable.length).toBeGreaterThan(40);
    for (const resource of taggable) {
      expect([resource.type, resource.name, resource.inputs.tags]).toEqual([
        resource.type,
        resource.name,
        { "vod:stack": MARKER },
      ]);
    }
    expect(native).toHaveLength(4);
    for (const resource of native) {
      expect([resource.name, resource.inputs.tags]).toEqual([
        resource.name,
        [{ key: "vod:stack", value: MARKER }],
      ]);
    }
  });

  it("retries every rule target and dead-letters what is left", () => {
    // Assess
    const targets = mocks.resourcesOfType("aws:cloudwatch/eventTarget:EventTarget");
    expect(targets).toHaveLength(3);
    for (const target of targets) {
      expect(target.inputs.retryPolicy).toEqual({
        maximumRetryAttempts: 185,
        maximumEventAgeInSeconds: 86_400,
      });
      expect(target.inputs.deadLetterConfig?.arn).toMatch(/^arn:aws:sqs:/);
    }
    const [schedule] = mocks.resourcesOfType("aws:scheduler/schedule:Schedule");
    expect(schedule?.inputs.target.retryPolicy).toBeDefined();
    expect(schedule?.inputs.target.deadLetterConfig.arn).toBe(arn("sqs", "vod-events-reconciler-dlq"));
  });

  it("sends the failed invocations of the job-event, failure and reconciler functions to on-failure destinations", () => {
    // Assess
    const destinations = Object.fromEntries(
      mocks
        .resourcesOfType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
        .map((c) => [c.inputs.functionName, c.inputs.destinationConfig?.onFailure?.destination]),
    );
    expect(destinations[`${MARKER}-handle-job-event`]).toBe(arn("sqs", "vod-events-job-event-failures"));
    expect(destinations[`${MARKER}-record-failure`]).toBe(arn("sqs", "vod-events-execution-event-failures"));
    expect(destinations[`${MARKER}-reconcile-jobs`]).toBe(arn("sqs", "vod-events-reconciler-failures"));
  });

  it("filters job events on the marker submit-job puts in its jobs, and uploads on the source bucket", () => {
    // Assess
    const pattern = (name: string) => JSON.parse(mocks.resourceNamed(name).inputs.eventPattern as string);
    expect(pattern("vod-events-job-event").detail.userMetadata).toEqual({
      stack: [lambda("submit-job").inputs.environment.variables.STACK_MARKER],
    });
    expect(pattern("vod-events-upload").detail).toEqual({ bucket: { name: ["vod-source"] } });
    expect(pattern("vod-events-execution-status").detail.stateMachineArn).toEqual([STATE_MACHINE]);
  });

  it("encrypts every queue, keeps messages 14 days, and alarms on each", () => {
    // Assess
    const queues = mocks.resourcesOfType("aws:sqs/queue:Queue");
    const watched = mocks
      .resourcesOfType("aws:cloudwatch/metricAlarm:MetricAlarm")
      .map((alarm) => alarm.inputs.dimensions?.QueueName)
      .filter((name) => name !== undefined);
    // Eight dead-letter queues (each alarmed on depth) and the admission queue (alarmed on its oldest title).
    expect(queues).toHaveLength(10);
    for (const queue of queues) {
      expect(queue.inputs).toMatchObject({
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 14 * 86_400,
      });
      expect(watched).toContain(queue.state.name);
    }
  });

  it("stops with the key named when a config value is wrong", () => {
    // Prepare
    setStackConfig({ ladderTopRung: 1000 });

    // Act / Assess
    try {
      jest.isolateModules(() => {
        expect(() => jest.requireActual("./index")).toThrow('Invalid config "vod-ingest:ladderTopRung"');
      });
    } finally {
      setStackConfig({});
    }
  });
});

describe("physicalName", () => {
  it("keeps a name that fits", () => {
    expect(physicalName("vod-ingest-dev", "claim-upload", 64)).toBe("vod-ingest-dev-claim-upload");
  });

  it("shortens a long stack prefix with a stable hash and keeps the role readable", () => {
    // Act
    const name = physicalName("x".repeat(80), "handle-job-event", 64);

    // Assess
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^x+-[0-9a-f]{8}-handle-job-event$/);
    expect(physicalName("x".repeat(80), "handle-job-event", 64)).toBe(name);
  });
});
