import { CreateJobCommand, type CreateJobCommandInput } from "@aws-sdk/client-mediaconvert";
import { updateRow } from "../shared/catalogue/update-row";
import { mediaConvert } from "../shared/runtime/clients";
import { executionName } from "../shared/runtime/console-links";
import type { TranscodeRequest } from "../shared/contract/workflow";
import { buildJobSettings, type PackagingSource } from "./job-settings";
import { outputLayout, sourceUri } from "../shared/media/output-layout";
import { logger } from "../shared/runtime/powertools";
import {
  clearPendingCreateJob,
  correlationIdFor,
  openTask,
  recordJobId,
  supersedeEarlierAttempts,
} from "../shared/transcode/task";
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
}

/** Returned to Step Functions but ignored: a `.waitForTaskToken` Task waits for the callback instead. */
export interface SubmitJobResult {
  readonly correlationId: string;
  readonly jobId: string;
  /** False when a retry found this attempt's job already created. */
  readonly created: boolean;
}

/**
 * "Transcode To CMAF": stores the task token in the ledger, creates the title's MediaConvert job (once
 * per execution attempt) and marks the catalogue row TRANSCODING. handle-job-event or reconcile-jobs
 * completes the task when the job ends.
 *
 * Order matters: the token is stored before CreateJob, so no event can arrive for a job whose task is
 * unknown; the job id is recorded right after, so a retried invocation (Lambda or Task retry) reuses
 * the job instead of creating a second one — CreateJob's ClientRequestToken alone dedupes for one minute.
 * When a CreateJob went out but its answer never came back, the retry looks the job up (find-job.ts).
 * A redriven execution first closes the tasks of its earlier attempts, whose jobs may still run.
 */
export async function submitJob(
  request: TranscodeRequest,
  config: SubmitJobConfig,
  now: Date = new Date(),
): Promise<SubmitJobResult> {
  const { upload, executionArn, redriveCount } = request;
  const correlationId = correlationIdFor(executionArn, redriveCount);
  logger.appendKeys({ assetId: upload.assetId, executionName: executionName(executionArn), correlationId });

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

  let jobId = previous?.jobId;
  if (!jobId && previous?.createJobPendingSince) {
    jobId = await findJobOfAttempt(config.queueArn, correlationId, previous.createJobPendingSince);
    if (jobId) {
      await recordJobId(config.ledgerTable, correlationId, jobId);
      logger.info("found the job an earlier try created without hearing back; created no second job", {
        jobId,
      });
    }
  } else if (jobId) {
    logger.info("this attempt already has a job; stored the new task token, created no second job", {
      jobId,
    });
  }
  const created = jobId === undefined;
  if (!jobId) {
    const input = createJobInput({
      settings,
      assetId: upload.assetId,
      correlationId,
      stackMarker: config.stackMarker,
      queueArn: config.queueArn,
      roleArn: config.roleArn,
    });
    jobId = await createJob(input, config.ledgerTable, correlationId);
    await recordJobId(config.ledgerTable, correlationId, jobId);
    logger.info("MediaConvert job created", { jobId, renditions: renditions.length });
  }

  const current = await updateRow(
    config.catalogueTable,
    upload.assetId,
    { status: "TRANSCODING", job: { id: jobId, progressPercent: 0, submittedAt } },
    { revision: upload.revision },
  );
  if (!current)
    logger.info("catalogue row belongs to a newer upload; not updated", { revision: upload.revision });
  return { correlationId, jobId, created };
}

/** CreateJob, clearing the pending mark when MediaConvert refused the call (a 4xx created no job). */
async function createJob(input: CreateJobCommandInput, ledgerTable: string, correlationId: string) {
  try {
    const { Job } = await mediaConvert.send(new CreateJobCommand(input));
    if (!Job?.Id) throw new Error("CreateJob returned no job id");
    return Job.Id;
  } catch (error) {
    // Any other failure (timeout, network, 5xx) may have created a job: the mark stays for the retry.
    if (isRefusal(error)) await clearPendingCreateJob(ledgerTable, correlationId);
    throw error;
  }
}

/** MediaConvert answered with a 4xx: the request was refused, so it created no job. */
function isRefusal(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}
