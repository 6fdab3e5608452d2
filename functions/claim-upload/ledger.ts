import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../shared/runtime/clients";
import type { ClaimItem } from "../shared/ledger/items";

/** Claims are kept long enough to outlive any redelivery or redrive (redrive: 14 days). */
export const CLAIM_TTL_DAYS = 90;

export type ClaimOutcome =
  /** This execution owns the object version (first claim, or a retry/redrive of the same execution). */
  | { readonly owned: true; readonly resumed: boolean }
  /** Another execution claimed it first: this delivery is a duplicate. */
  | { readonly owned: false; readonly ownerExecutionArn: string };

/** The ledger item for a claim made at `now`; `expiresAt` is epoch seconds, as DynamoDB TTL requires. */
export function claimItem(pk: ClaimItem["pk"], assetId: string, executionArn: string, now: Date): ClaimItem {
  return {
    pk,
    assetId,
    executionArn,
    claimedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_TTL_DAYS * 24 * 60 * 60,
  };
}

/**
 * Claims one object version with a conditional put. S3 and EventBridge deliver at least once and the
 * rule cannot name the execution, so two executions may start for one upload: the first to put the
 * item owns it. A failed condition is read back (strongly consistent) to tell a duplicate execution
 * from this execution retried by Lambda or redriven by an operator, which must carry on.
 */
export async function claimSourceVersion(
  tableName: string,
  item: ClaimItem,
  client: DynamoDBDocumentClient = dynamo,
): Promise<ClaimOutcome> {
  try {
    await client.send(
      new PutCommand({ TableName: tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
    );
    return { owned: true, resumed: false };
  } catch (error) {
    if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
  }
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: { pk: item.pk }, ConsistentRead: true }),
  );
  const ownerExecutionArn = (Item as Partial<ClaimItem> | undefined)?.executionArn;
  if (ownerExecutionArn === undefined) {
    // The claim vanished between the put and the read (TTL, or a hand-deleted item): nobody owns it now.
    throw new Error(`The claim ${item.pk} could not be read back; retry the task`);
  }
  return ownerExecutionArn === item.executionArn
    ? { owned: true, resumed: true }
    : { owned: false, ownerExecutionArn };
}
