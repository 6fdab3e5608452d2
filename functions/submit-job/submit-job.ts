import { CreateJobCommand } from "@aws-sdk/client-mediaconvert";
import { updateRow } from "../shared/catalogue";
import { mediaConvert } from "../shared/clients";
import { executionName } from "../shared/console-links";
import type { TranscodeRequest } from "../shared/contracts";
import { buildJobSettings, type PackagingSource } from "../shared/job-settings";
import { outputLayout, sourceUri } from "../shared/output-layout";
import { logger } from "../shared/powertools";
import { correlationIdFor, openTask, recordJobId } from "../shared/transcode-task";
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

  let jobId = previous?.jobId;
  const created = jobId === undefined;
  if (jobId) {
    logger.info("this attempt already has a job; stored the new task token, created no second job", {
      jobId,
    });
  } else {
    const { Job } = await mediaConvert.send(
      new CreateJobCommand(
        createJobInput({
          settings,
          assetId: upload.assetId,
          correlationId,
          stackMarker: config.stackMarker,
          queueArn: config.queueArn,
          roleArn: config.roleArn,
        }),
      ),
    );
    if (!Job?.Id) throw new Error("CreateJob returned no job id");
    jobId = Job.Id;
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
