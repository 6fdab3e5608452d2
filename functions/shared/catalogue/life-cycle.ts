import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { TASK_STATES } from "../../../statemachines/ingest-states";
import { dynamo } from "../runtime/clients";
import { executionConsoleUrl } from "../runtime/console-links";
import type {
  CmafGroupUrls,
  PlaybackUrls,
  SourceFacts,
  SourceObject,
  TranscodeResult,
} from "../contract/workflow";
import type { AssetStatus, CatalogueRow, RowError } from "./row";
import { updateRow } from "./update-row";

/**
 * The catalogue row's life cycle: every write to a row (table `CATALOGUE_TABLE`), one function per
 * transition, each with the condition that keeps it from writing over a newer upload or attempt. A
 * function returns false (or "SUPERSEDED"), writing nothing, when its condition does not hold; the caller
 * logs and carries on. `now` stamps `updatedAt` (and the timestamps the transition sets).
 *
 * ```
 *  (none|older) ──putRevisionRow (claim-upload)──▶ INGESTING | REJECTED
 *  INGESTING ──startTranscoding (submit-job)──▶ TRANSCODING ─┬ recordTranscodeProgress (job events, reconciler)
 *                                                            └ recordTranscodeResult   (job events, reconciler)
 *  TRANSCODING ──startPackaging (register-asset)──▶ PACKAGING
 *  PACKAGING ──"Publish To Catalogue" (the ASL's own updateItem, PUBLISH below)──▶ PUBLISHED
 *  any in progress ──markFailed (record-failure)──▶ FAILED ──markResumed (record-failure)──▶ the redriven state's status
 * ```
 */

/** The state named on a rejection's row error. */
export const CLAIM_STATE = TASK_STATES.claimUpload;

export interface RevisionRowInput {
  readonly assetId: string;
  readonly title: string;
  readonly revision: string;
  /** `sequencer` already padded (claim-upload/sequencer.ts). */
  readonly source: SourceObject;
  readonly executionArn: string;
  readonly now: Date;
  /** Present once the source passed validation. */
  readonly facts?: SourceFacts;
  /** Present when the source is rejected. */
  readonly rejection?: Pick<RowError, "code" | "message">;
}

/**
 * Whose each row field is. `revision` fields describe one upload and are replaced (or removed) when a
 * newer revision takes the row, so nothing of an older revision (playback URLs, job, error) lingers;
 * `title` fields are an operator's decisions about the title and survive a re-upload — a title taken down
 * (`unpublishedAt`) stays down and a restricted one (`entitlement`) stays restricted, whatever is uploaded
 * next. A field added to `CatalogueRow` fails `tsc` here until it is given an owner.
 */
export const ROW_FIELD_OWNERS = {
  assetId: "key",
  status: "revision",
  title: "revision",
  revision: "revision",
  source: "revision",
  facts: "revision",
  job: "revision",
  packagingAssetId: "revision",
  playback: "revision",
  cmafGroup: "revision",
  ladderVersion: "revision",
  durationMs: "revision",
  renditions: "revision",
  posterImage: "revision",
  error: "revision",
  execution: "revision",
  createdAt: "revision",
  updatedAt: "revision",
  publishedAt: "revision",
  unpublishedAt: "title",
  entitlement: "title",
} as const satisfies Record<keyof CatalogueRow, "key" | "revision" | "title">;

/** The revision's fields of the row: INGESTING, or REJECTED with the reason (see `ROW_FIELD_OWNERS`). */
export function revisionRow(input: RevisionRowInput): CatalogueRow {
  const at = input.now.toISOString();
  return {
    assetId: input.assetId,
    status: input.rejection === undefined ? "INGESTING" : "REJECTED",
    title: input.title,
    revision: input.revision,
    source: input.source,
    ...(input.facts === undefined ? {} : { facts: input.facts }),
    ...(input.rejection === undefined
      ? {}
      : { error: { code: input.rejection.code, message: input.rejection.message, state: CLAIM_STATE } }),
    execution: { arn: input.executionArn, consoleUrl: executionConsoleUrl(input.executionArn) },
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * (none | older version) → INGESTING or REJECTED: writes the row unless a newer version of the same key
 * owns it. Allowed when the row does not exist, when it already describes this revision (a retry or
 * redrive of this execution), or when it describes an older version (lower sequencer): a re-upload moves
 * the row, a late event of an older version does not. Returns "SUPERSEDED" when the condition fails.
 * The row carries its own timestamps (`revisionRow`'s `now`).
 */
export async function putRevisionRow(
  tableName: string,
  row: CatalogueRow,
  client: DynamoDBDocumentClient = dynamo,
): Promise<"WRITTEN" | "SUPERSEDED"> {
  try {
    await client.send(new UpdateCommand(revisionRowUpdate(tableName, row)));
    return "WRITTEN";
  } catch (error) {
    if (isConditionFailed(error)) return "SUPERSEDED";
    throw error;
  }
}

/**
 * The UpdateItem behind `putRevisionRow` (pure): SET every revision field the new row has, REMOVE the
 * revision fields it lacks, leave the title's fields alone — one atomic write, under the same condition.
 */
export function revisionRowUpdate(tableName: string, row: CatalogueRow) {
  const names: Record<string, string> = {
    "#assetId": "assetId",
    "#revision": "revision",
    "#source": "source",
    "#sequencer": "sequencer",
  };
  const values: Record<string, unknown> = { ":revision": row.revision, ":sequencer": row.source.sequencer };
  const sets: string[] = [];
  const removes: string[] = [];
  const fields = Object.entries(ROW_FIELD_OWNERS).filter(([, owner]) => owner === "revision");
  fields.forEach(([field], i) => {
    names[`#f${i}`] = field;
    const value = row[field as keyof CatalogueRow];
    if (value === undefined) {
      removes.push(`#f${i}`);
    } else {
      values[`:v${i}`] = value;
      sets.push(`#f${i} = :v${i}`);
    }
  });
  return {
    TableName: tableName,
    Key: { assetId: row.assetId },
    UpdateExpression: `SET ${sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`,
    ConditionExpression:
      "attribute_not_exists(#assetId) OR #revision = :revision OR #source.#sequencer < :sequencer",
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Which revision (and, once known, which job) a transition is about. */
export interface RowRef {
  readonly assetId: string;
  /** The claim's revision: an old execution never writes over a newer upload's row. */
  readonly revision: string;
}

/**
 * INGESTING → TRANSCODING, naming the attempt's job and the ladder that encodes it. Only while the row
 * describes this revision. A retried or redriven submit writes it again (same or newer job).
 */
export function startTranscoding(
  tableName: string,
  row: RowRef & { readonly jobId: string; readonly submittedAt: string; readonly ladderVersion: string },
  now: Date,
): Promise<boolean> {
  return updateRow(
    tableName,
    row.assetId,
    {
      status: "TRANSCODING",
      job: { id: row.jobId, progressPercent: 0, submittedAt: row.submittedAt },
      ladderVersion: row.ladderVersion,
    },
    now,
    { revision: row.revision },
  );
}

/**
 * TRANSCODING, progress: the job's percentage. Only while the row describes this revision and follows this
 * job (or none yet): a job of an earlier attempt that reports late must not write over the redrive's job.
 */
export function recordTranscodeProgress(
  tableName: string,
  row: RowRef & { readonly jobId: string; readonly submittedAt: string; readonly percent: number },
  now: Date,
): Promise<boolean> {
  return updateRow(
    tableName,
    row.assetId,
    { job: { id: row.jobId, progressPercent: row.percent, submittedAt: row.submittedAt } },
    now,
    { revision: row.revision, jobId: row.jobId },
  );
}

/**
 * TRANSCODING, done: the title's facts from the job (duration, renditions, poster), written before the
 * task's callback so a retry that finds the task closed has nothing left to write. Same condition as
 * `recordTranscodeProgress`.
 */
export function recordTranscodeResult(
  tableName: string,
  row: RowRef & { readonly submittedAt: string; readonly result: TranscodeResult },
  now: Date,
): Promise<boolean> {
  const { result } = row;
  return updateRow(
    tableName,
    row.assetId,
    {
      durationMs: result.durationMs,
      renditions: result.renditions,
      posterImage: result.posterImage,
      job: { id: result.jobId, progressPercent: 100, submittedAt: row.submittedAt },
    },
    now,
    { revision: row.revision, jobId: result.jobId },
  );
}

/** TRANSCODING → PACKAGING, naming the MediaPackage asset. Only while the row describes this revision. */
export function startPackaging(
  tableName: string,
  row: RowRef & { readonly packagingAssetId: string },
  now: Date,
): Promise<boolean> {
  return updateRow(
    tableName,
    row.assetId,
    { status: "PACKAGING", packagingAssetId: row.packagingAssetId },
    now,
    { revision: row.revision },
  );
}

/**
 * PACKAGING → PUBLISHED is the one transition no function writes: "Publish To Catalogue" in
 * statemachines/ingest.asl.json is a direct DynamoDB `updateItem` (no code to run, nothing to retry but
 * the call). This is what it must do, checked against the ASL by life-cycle.test.ts: set these fields,
 * remove the error, `playback` holding exactly the `PlaybackUrls` formats and `cmafGroup` exactly the
 * `CmafGroupUrls` manifests (both CDN URLs from register-asset), only while the row describes the
 * execution's revision (a newer upload of the same key wins).
 */
export const PUBLISH = {
  status: "PUBLISHED",
  sets: ["status", "playback", "cmafGroup", "packagingAssetId", "publishedAt", "updatedAt"],
  removes: ["error"],
  playbackFormats: ["hls", "dash", "cmaf"],
  cmafGroupManifests: ["hls", "dash"],
  condition: "revision",
} as const satisfies {
  readonly status: AssetStatus;
  readonly sets: readonly (keyof CatalogueRow)[];
  readonly removes: readonly (keyof CatalogueRow)[];
  readonly playbackFormats: readonly (keyof PlaybackUrls)[];
  readonly cmafGroupManifests: readonly (keyof CmafGroupUrls)[];
  readonly condition: keyof CatalogueRow;
};

/*
 * Why the redrive count in the two failure-recorder transitions: EventBridge does not order events, so
 * attempt N's FAILED can arrive after the RUNNING of redrive N+1, and a redrive's RUNNING after that
 * redrive's own FAILED. With `execution.redriveCount` on the row, a FAILED of attempt N writes only while
 * the row is at attempt ≤ N, and the RUNNING of redrive N only while the row is at an attempt < N.
 * Whatever the arrival order, the row ends describing the latest attempt.
 */

export interface ExecutionRef {
  readonly arn: string;
  readonly consoleUrl: string;
  readonly redriveCount: number;
}

/**
 * Any → FAILED with the error and the execution to redrive. Only while the row describes this revision
 * and is at this attempt or an earlier one.
 */
export async function markFailed(
  tableName: string,
  row: RowRef & { readonly error: RowError; readonly execution: ExecutionRef },
  now: Date,
): Promise<boolean> {
  return conditionalUpdate({
    TableName: tableName,
    Key: { assetId: row.assetId },
    UpdateExpression: "SET #status = :status, #error = :error, #execution = :execution, #updatedAt = :now",
    ConditionExpression: `#revision = :revision AND (attribute_not_exists(#execution.#redriveCount) OR #execution.#redriveCount <= :redriveCount)`,
    ExpressionAttributeNames: FAILURE_NAMES,
    ExpressionAttributeValues: {
      ":status": "FAILED" satisfies AssetStatus,
      ":error": row.error,
      ":execution": row.execution satisfies CatalogueRow["execution"],
      ":now": now.toISOString(),
      ":revision": row.revision,
      ":redriveCount": row.execution.redriveCount,
    },
  });
}

/**
 * FAILED → back in progress at the redriven state (`status`), error removed. Only while the row describes
 * this revision and is at an earlier attempt than this redrive.
 */
export async function markResumed(
  tableName: string,
  row: RowRef & { readonly status: AssetStatus; readonly execution: ExecutionRef },
  now: Date,
): Promise<boolean> {
  return conditionalUpdate({
    TableName: tableName,
    Key: { assetId: row.assetId },
    UpdateExpression: "SET #status = :status, #execution = :execution, #updatedAt = :now REMOVE #error",
    ConditionExpression: `#revision = :revision AND (attribute_not_exists(#execution.#redriveCount) OR #execution.#redriveCount < :redriveCount)`,
    ExpressionAttributeNames: FAILURE_NAMES,
    ExpressionAttributeValues: {
      ":status": row.status,
      ":execution": row.execution satisfies CatalogueRow["execution"],
      ":now": now.toISOString(),
      ":revision": row.revision,
      ":redriveCount": row.execution.redriveCount,
    },
  });
}

const FAILURE_NAMES = {
  "#status": "status",
  "#error": "error",
  "#execution": "execution",
  "#redriveCount": "redriveCount",
  "#updatedAt": "updatedAt",
  "#revision": "revision",
} as const;

async function conditionalUpdate(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
  try {
    await dynamo.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}
