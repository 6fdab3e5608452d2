import { Alarms } from "./alarms";
import { Catalogue } from "./catalogue";
import { loadConfig } from "./config";
import { Events } from "./events";
import { IngestFunctions } from "./functions";
import { ingestStateMachineName, stackMarker } from "./lib/naming";
import { Packaging } from "./packaging";
import { Storage } from "./storage";
import { Transcoding } from "./transcoding";
import { Workflow } from "./workflow";

// The whole stack: config → components → outputs. Logical names are part of the public surface
// (renaming one replaces the resources under it).
const config = loadConfig();
const stateMachineName = ingestStateMachineName();

const storage = new Storage("vod", {
  sourceNoncurrentDays: config.sourceNoncurrentDays,
  outputExpirationDays: config.outputExpirationDays,
});
const catalogue = new Catalogue("vod", {});
const transcoding = new Transcoding("vod-transcoding", {
  sourceBucketArn: storage.sourceBucketArn,
  outputBucketArn: storage.outputBucketArn,
  mediaConvertQueueArn: config.mediaConvertQueueArn,
});
const packaging = new Packaging("vod-packaging", { outputBucketArn: storage.outputBucketArn });

const functions = new IngestFunctions("vod", {
  config,
  sourceBucketArn: storage.sourceBucketArn,
  outputBucketName: storage.outputBucketName,
  catalogueTableName: catalogue.catalogueTableName,
  catalogueTableArn: catalogue.catalogueTableArn,
  ledgerTableName: catalogue.ledgerTableName,
  ledgerTableArn: catalogue.ledgerTableArn,
  mediaConvertQueueArn: transcoding.queueArn,
  mediaConvertRoleArn: transcoding.roleArn,
  packagingGroupId: packaging.packagingGroupId,
  packagingConfigurations: packaging.packagingConfigurations,
  packagingRoleArn: packaging.sourceRoleArn,
  stateMachineName,
});

const workflow = new Workflow("vod-ingest", {
  stateMachineName,
  claimUploadArn: functions.byFolder["claim-upload"].function.arn,
  submitJobArn: functions.byFolder["submit-job"].function.arn,
  registerAssetArn: functions.byFolder["register-asset"].function.arn,
  catalogueTableName: catalogue.catalogueTableName,
  catalogueTableArn: catalogue.catalogueTableArn,
  reconcileIntervalMinutes: config.reconcileIntervalMinutes,
  maxQueueWaitHours: config.maxQueueWaitHours,
  logRetentionDays: config.logRetentionDays,
});

const events = new Events("vod-events", {
  sourceBucketName: storage.sourceBucketName,
  uploadPrefix: config.uploadPrefix,
  stackMarker: stackMarker(),
  stateMachineArn: workflow.stateMachineArn,
  handleJobEvent: functions.byFolder["handle-job-event"],
  recordFailure: functions.byFolder["record-failure"],
  reconcileJobs: functions.byFolder["reconcile-jobs"],
  reconcileIntervalMinutes: config.reconcileIntervalMinutes,
  dlqRetentionDays: config.dlqRetentionDays,
});

/** Every queue that holds work an operator must look at, by the label its alarm carries. */
const queues = {
  uploads: events.queues.uploads,
  "job-events": events.queues.jobEvents,
  "job-event-failures": events.queues.jobEventFailures,
  "execution-events": events.queues.executionEvents,
  "execution-event-failures": events.queues.executionEventFailures,
  reconciler: events.queues.reconciler,
  "failed-executions": {
    name: functions.failuresQueue.name,
    url: functions.failuresQueue.url,
    arn: functions.failuresQueue.arn,
  },
};

const alarms = new Alarms("vod-alarms", {
  deadLetterQueues: Object.entries(queues).map(([label, queue]) => ({ label, queueName: queue.name })),
  stateMachineArn: workflow.stateMachineArn,
  mediaConvertQueueArn: transcoding.queueArn,
  alarmEmail: config.alarmEmail,
});

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
export const packagingGroupId = packaging.packagingGroupId;
