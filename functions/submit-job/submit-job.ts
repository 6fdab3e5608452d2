import { CreateJobCommand, type CreateJobCommandInput } from "@aws-sdk/client-mediaconvert";
import { startTranscoding } from "../shared/catalogue/life-cycle";
import { LADDER_VERSION } from "../shared/media/ladder";
import { mediaConvert } from "../shared/runtime/clients";
import { executionName } from "../shared/runtime/console-links";
import type { TranscodeRequest } from "../shared/contract/workflow";
import { buildJobSettings, type PackagingSource } from "./job-settings";
import { outputLayout, sourceUri } from "../shared/media/output-layout";
import { assertSourceIsCurrent } from "../shared/media/source-version";
import { logger } from "../shared/runtime/powertools";
import {
  correlationIdFor,
  jobOfAttempt,
  openTask,
  supersedeEarlierAttempts,
} from "../shared/transcode/attempt";
import { findJobOfAttempt } from "./find-job";
import { createJobInput, taskOutputs } from "./job-request";

export interface SubmitJobConfig {
  readonly ledgerTable: string;
  readonly catalogueTable: string;
  readonly outputBucket: string;
  readonly queueArn: string;
  /** The MediaConvert service role passed to CreateJob (iam:PassRole). */
  readonly roleArn: string;
  readonly stackMarker: string;
  /** Highest rung height (px), `LADDER_TOP_RUNG`. */
  readonly topRung: number;
  readonly packagingSource: PackagingSource;
  /** Tags every job carries (`JOB_TAGS`). */
  readonly jobTags: Readonly<Record<string, string>>;
}

export interface SubmitJobOptions {
  /** Stamps the task and the row (default: now). */
  readonly now?: Date;
  /** Awaited right before CreateJob, and only then: the admission pacer's turn (./pacer.ts). */
  readonly beforeCreateJob?: () => Promise<void>;
}

/** What became of one title's submission (logged by ./admit.ts; the Task waits for the callback). */
export interface SubmitJobResult {
  readonly correlationId: string;
  readonly jobId: string;
  /** False when a retry found this attempt's job already created. */
  readonly created: boolean;
}

/**
 * One admitted title of "Transcode To CMAF" (./admit.ts): stores the task token in the ledger, creates
 * the title's MediaConvert job (once per execution attempt) and marks the catalogue row TRANSCODING. handle-job-event or reconcile-jobs
 * completes the task when the job ends.
 *
 * One job per execution attempt, however often this is retried or redriven: the protocol (token stored
 * before CreateJob, job id right after, a lost answer looked up, earlier attempts closed on a redrive) is
 * shared/transcode/attempt.ts; find-job.ts is its MediaConvert lookup.
 */
export async function submitJob(
  request: TranscodeRequest,
  config: SubmitJobConfig,
  options: SubmitJobOptions = {},
): Promise<SubmitJobResult> {
  const now = options.now ?? new Date();
  const { upload, executionArn, redriveCount } = request;
  const correlationId = correlationIdFor(executionArn, redriveCount);
  logger.appendKeys({ assetId: upload.assetId, executionName: executionName(executionArn), correlationId });

  // Before the task is opened: stale bytes never cost a job (shared/media/source-version.ts).
  await assertSourceIsCurrent(upload.source);

  const layout = outputLayout(config.outputBucket, upload.assetId, upload.revision);
  const { settings, renditions } = buildJobSettings({
    sourceUri: sourceUri(upload.source.bucket, upload.source.key),
    layout,
    facts: upload.facts,
    topRung: config.topRung,
    packagingSource: config.packagingSource,
  });

  const previous = await openTask(
    config.ledgerTable,
    {
      correlationId,
      taskToken: request.taskToken,
      assetId: upload.assetId,
      revision: upload.revision,
      executionArn,
      outputPrefix: layout.prefix,
      packagingSource: config.packagingSource,
      outputs: taskOutputs(layout, config.packagingSource),
      renditions,
    },
    now,
  );
  const submittedAt = previous?.submittedAt ?? now.toISOString();
  if (redriveCount > 0) {
    const superseded = await supersedeEarlierAttempts(config.ledgerTable, executionArn, redriveCount, now);
    if (superseded > 0) logger.info("closed the tasks of earlier attempts of this execution", { superseded });
  }

  const { jobId, created } = await jobOfAttempt(config.ledgerTable, correlationId, previous, {
    find: (id, pendingSince) => findJobOfAttempt(config.queueArn, id, pendingSince),
    create: async () => {
      await options.beforeCreateJob?.();
      return createJob(
        createJobInput({
          settings,
          assetId: upload.assetId,
          correlationId,
          stackMarker: config.stackMarker,
          queueArn: config.queueArn,
          roleArn: config.roleArn,
          tags: config.jobTags,
        }),
      );
    },
  });
  if (created) logger.info("MediaConvert job created", { jobId, renditions: renditions.length });

  const current = await startTranscoding(
    config.catalogueTable,
    { assetId: upload.assetId, revision: upload.revision, jobId, submittedAt, ladderVersion: LADDER_VERSION },
    now,
  );
  if (!current)
    logger.info("catalogue row belongs to a newer upload; not updated", { revision: upload.revision });
  return { correlationId, jobId, created };
}

/** CreateJob; the job id MediaConvert assigned. */
async function createJob(input: CreateJobCommandInput): Promise<string> {
  const { Job } = await mediaConvert.send(new CreateJobCommand(input));
  if (!Job?.Id) throw new Error("CreateJob returned no job id");
  return Job.Id;
}
