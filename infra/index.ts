import * as pulumi from "@pulumi/pulumi";
import { Admission } from "./admission";
import { Alarms } from "./alarms";
import { Catalogue } from "./catalogue";
import { loadConfig, loadDeliverySecrets } from "./config";
import { Delivery } from "./delivery";
import { EntitlementApi, SessionRoute, ViewerSignIn } from "./entitlement";
import { Events } from "./events";
import { IngestFunctions } from "./functions";
import { ingestStateMachineName, stackMarker } from "./lib/naming";
import { workflowFunctionMap } from "./lib/workflow-functions";
import { Packaging } from "./packaging";
import { tagResources } from "./lib/tags";
import { stackTags } from "../functions/shared/contract/tags";
import { SigningKeys } from "./signing-keys";
import { Storage } from "./storage";
import { Transcoding } from "./transcoding";
import { Workflow } from "./workflow";
import { admissionAlarmSeconds } from "./lib/timing";

// The whole stack: config → components → outputs. Logical names are part of the public surface
// (renaming one replaces the resources under it).
const config = loadConfig();
// Every taggable resource gets the stack's tags through a transformation each component passes to
// its children (lib/tags.ts says why not the provider's defaultTags; a stack-wide registration
// would do the same but needs the root stack resource, which unit tests' mocks do not create).
const tags = stackTags(stackMarker(), config.tags);
const tagged: pulumi.ComponentResourceOptions = { transformations: [tagResources(tags)] };
const secrets = loadDeliverySecrets(config);
const stateMachineName = ingestStateMachineName();

// The output bucket's policy admits the distribution, which is created further down (it needs the
// bucket's host): its ARN comes through a deferred output, resolved once Delivery exists.
const [cdnDistributionArn, resolveCdnDistributionArn] = pulumi.deferredOutput<string>();
const storage = new Storage(
  "vod",
  {
    sourceNoncurrentDays: config.sourceNoncurrentDays,
    outputExpirationDays: config.outputExpirationDays,
    outputDistributionArn: cdnDistributionArn,
  },
  tagged,
);
const catalogue = new Catalogue("vod", {}, tagged);
const transcoding = new Transcoding(
  "vod-transcoding",
  {
    sourceBucketArn: storage.sourceBucketArn,
    outputBucketArn: storage.outputBucketArn,
    mediaConvertQueueArn: config.mediaConvertQueueArn,
    concurrentJobs: config.mediaConvertConcurrentJobs,
  },
  tagged,
);
const packaging = new Packaging(
  "vod-packaging",
  {
    outputBucketArn: storage.outputBucketArn,
    tags,
    cdnIdentifier: secrets.cdnIdentifier,
  },
  tagged,
);

// Delivery, in dependency order (no cycles):
// signing keys and the HTTP API need nothing → the distribution needs the API's host, the key group,
// MediaPackage's egress host and the output bucket → viewer sign-in needs the viewer URL (Cognito
// callback) → the session function needs the CDN base URL → its route needs the function.
const signingKeys = new SigningKeys(
  "vod-signing",
  {
    generated: config.signingKeyGenerated,
    keys: config.signingKeys,
    active: config.activeSigningKey,
    activePrivateKeyPem: secrets.signingPrivateKeyPem,
  },
  tagged,
);
const entitlementApi = new EntitlementApi(
  "vod-entitlement",
  {
    playerOrigins: config.deliveryPlayerOrigins,
    throttle: { rateLimit: config.sessionThrottleRate, burstLimit: config.sessionThrottleBurst },
    logRetentionDays: config.logRetentionDays,
  },
  tagged,
);
const delivery = new Delivery(
  "vod-delivery",
  {
    mediaPackageDomainName: packaging.egressDomainName,
    cdnIdentifier: packaging.cdnIdentifier,
    mediaPackageRegion: packaging.region,
    outputBucket: {
      arn: storage.outputBucketArn,
      regionalDomainName: storage.outputBucketRegionalDomainName,
    },
    entitlementDomainName: entitlementApi.originDomainName,
    keyGroupId: signingKeys.keyGroupId,
    playerOrigins: config.deliveryPlayerOrigins,
    alias:
      config.deliveryDomain === ""
        ? undefined
        : { domainName: config.deliveryDomain, certificateArn: config.deliveryCertificateArn },
    priceClass: config.deliveryPriceClass,
    geoAllowList: config.deliveryGeoAllowList,
    originShield: config.deliveryOriginShield,
    manifestMaxTtlSeconds: config.manifestMaxTtlSeconds,
    waf: config.wafEnabled
      ? { authRateLimit: config.wafAuthRateLimit, mediaRateLimit: config.wafMediaRateLimit }
      : undefined,
  },
  tagged,
);
resolveCdnDistributionArn(delivery.distributionArn);
const viewerSignIn = new ViewerSignIn(
  "vod-viewers",
  {
    issuer: config.jwtIssuer,
    audiences: config.jwtAudiences,
    callbackUrls: [delivery.viewerUrl],
  },
  tagged,
);

// The admission queue comes before the functions (submit-job reads its URL); its event source mapping
// needs submit-job's ARN, which comes through a deferred output.
const [submitJobArn, resolveSubmitJobArn] = pulumi.deferredOutput<string>();
const admission = new Admission(
  "vod-admission",
  {
    createJobRate: config.createJobRate,
    concurrency: config.admissionConcurrency,
    submitterFunctionArn: submitJobArn,
    dlqRetentionDays: config.dlqRetentionDays,
  },
  tagged,
);
const admissionQueue = { url: admission.queueUrl, arn: admission.queueArn };

const functions = new IngestFunctions(
  "vod",
  {
    config,
    sourceBucketArn: storage.sourceBucketArn,
    outputBucketName: storage.outputBucketName,
    outputBucketArn: storage.outputBucketArn,
    catalogueTableName: catalogue.catalogueTableName,
    catalogueTableArn: catalogue.catalogueTableArn,
    ledgerTableName: catalogue.ledgerTableName,
    ledgerTableArn: catalogue.ledgerTableArn,
    mediaConvertQueueArn: transcoding.queueArn,
    mediaConvertRoleArn: transcoding.roleArn,
    admissionQueue,
    packagingGroupId: packaging.packagingGroupId,
    packagingConfigurations: packaging.packagingConfigurations,
    packagingRoleArn: packaging.sourceRoleArn,
    stateMachineName,
    cdnBaseUrl: delivery.baseUrl,
    signingKeySecretArn: signingKeys.secretArn,
  },
  tagged,
);

resolveSubmitJobArn(functions.byFolder["submit-job"].function.arn);

new SessionRoute(
  "vod-session",
  {
    apiId: entitlementApi.apiId,
    executionArn: entitlementApi.executionArn,
    issuer: viewerSignIn.issuer,
    audiences: viewerSignIn.audiences,
    sessionFunction: {
      arn: functions.byFolder["mint-playback-session"].function.arn,
      name: functions.byFolder["mint-playback-session"].function.name,
    },
  },
  tagged,
);

const workflow = new Workflow(
  "vod-ingest",
  {
    stateMachineName,
    taskFunctionArns: workflowFunctionMap((folder) => functions.byFolder[folder].function.arn),
    admissionQueue,
    catalogueTableName: catalogue.catalogueTableName,
    catalogueTableArn: catalogue.catalogueTableArn,
    reconcileIntervalMinutes: config.reconcileIntervalMinutes,
    maxQueueWaitHours: config.maxQueueWaitHours,
    logRetentionDays: config.logRetentionDays,
  },
  tagged,
);

const events = new Events(
  "vod-events",
  {
    sourceBucketName: storage.sourceBucketName,
    uploadPrefix: config.uploadPrefix,
    stackMarker: stackMarker(),
    stateMachineArn: workflow.stateMachineArn,
    handleJobEvent: functions.byFolder["handle-job-event"],
    recordFailure: functions.byFolder["record-failure"],
    reconcileJobs: functions.byFolder["reconcile-jobs"],
    reconcileIntervalMinutes: config.reconcileIntervalMinutes,
    dlqRetentionDays: config.dlqRetentionDays,
  },
  tagged,
);

/** Every queue that holds work an operator must look at, by the label its alarm carries. */
const queues = {
  uploads: events.queues.uploads,
  "job-events": events.queues.jobEvents,
  "job-event-failures": events.queues.jobEventFailures,
  "execution-events": events.queues.executionEvents,
  "execution-event-failures": events.queues.executionEventFailures,
  reconciler: events.queues.reconciler,
  "reconciler-failures": events.queues.reconcilerFailures,
  admission: {
    name: admission.deadLetterQueue.name,
    url: admission.deadLetterQueue.url,
    arn: admission.deadLetterQueue.arn,
  },
  "failed-executions": {
    name: functions.failuresQueue.name,
    url: functions.failuresQueue.url,
    arn: functions.failuresQueue.arn,
  },
};

const alarms = new Alarms(
  "vod-alarms",
  {
    deadLetterQueues: Object.entries(queues).map(([label, queue]) => ({ label, queueName: queue.name })),
    stateMachineArn: workflow.stateMachineArn,
    mediaConvertQueueArn: transcoding.queueArn,
    admissionQueue: {
      queueName: admission.queueName,
      maxWaitSeconds: admissionAlarmSeconds(config.reconcileIntervalMinutes),
    },
    alarmEmail: config.alarmEmail,
  },
  tagged,
);

export const sourceBucketName = storage.sourceBucketName;
export const sourceBucketConsoleUrl = storage.sourceBucketConsoleUrl;
export const outputBucketName = storage.outputBucketName;
export const stateMachineArn = workflow.stateMachineArn;
export const stateMachineConsoleUrl = workflow.consoleUrl;
export const catalogueTableName = catalogue.catalogueTableName;
export const ledgerTableName = catalogue.ledgerTableName;
export const deadLetterQueueUrls = Object.fromEntries(
  Object.entries(queues).map(([label, queue]) => [label, queue.url]),
);
export const alarmTopicArn = alarms.topicArn;
export const admissionQueueUrl = admission.queueUrl;
export const packagingGroupId = packaging.packagingGroupId;
export const cdnDomainName = delivery.domainName;
export const cdnBaseUrl = delivery.baseUrl;
export const cdnDistributionId = delivery.distributionId;
export const viewerUrl = delivery.viewerUrl;
export const playbackSessionUrl = delivery.playbackSessionUrl;
export const keyGroupId = signingKeys.keyGroupId;
export const activeKeyPairId = signingKeys.activeKeyPairId;
export const signingKeySecretArn = signingKeys.secretArn;
export const cdnIdentifierSecretArn = packaging.cdnIdentifierSecretArn;
export const webAclArn = delivery.webAclArn;
export const viewerSignInUrl = viewerSignIn.hostedUiUrl;
export const viewerUserPoolId = viewerSignIn.userPoolId;
