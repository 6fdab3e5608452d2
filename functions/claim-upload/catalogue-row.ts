import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../shared/runtime/clients";
import { executionConsoleUrl } from "../shared/runtime/console-links";
import type { CatalogueRow } from "../shared/catalogue/row";
import type { SourceFacts, SourceObject } from "../shared/contract/workflow";
import type { Rejection } from "./rejections";

/** The state named on a rejection's row error. */
export const CLAIM_STATE = "Claim Upload";

export interface RevisionRowInput {
  readonly assetId: string;
  readonly title: string;
  readonly revision: string;
  /** `sequencer` already padded (sequencer.ts). */
  readonly source: SourceObject;
  readonly executionArn: string;
  readonly now: Date;
  /** Present once the source passed validation. */
  readonly facts?: SourceFacts;
  /** Present when the source is rejected. */
  readonly rejection?: Rejection;
}

/**
 * The whole catalogue row for one revision: INGESTING, or REJECTED with the reason. The row is
 * replaced, not patched, so nothing of an older revision (playback URLs, job, error) lingers on it.
 */
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
 * Writes the row unless a newer version of the same key owns it. Allowed when the row does not exist,
 * when it already describes this revision (a retry or redrive of this execution), or when it describes
 * an older version (lower sequencer): a re-upload moves the row, a late event of an older version
 * does not. Returns "SUPERSEDED" when the condition fails.
 */
export async function putRevisionRow(
  tableName: string,
  row: CatalogueRow,
  client: DynamoDBDocumentClient = dynamo,
): Promise<"WRITTEN" | "SUPERSEDED"> {
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: row,
        ConditionExpression:
          "attribute_not_exists(#assetId) OR #revision = :revision OR #source.#sequencer < :sequencer",
        ExpressionAttributeNames: {
          "#assetId": "assetId",
          "#revision": "revision",
          "#source": "source",
          "#sequencer": "sequencer",
        },
        ExpressionAttributeValues: { ":revision": row.revision, ":sequencer": row.source.sequencer },
      }),
    );
    return "WRITTEN";
  } catch (error) {
    if (error instanceof Error && error.name === "ConditionalCheckFailedException") return "SUPERSEDED";
    throw error;
  }
}
