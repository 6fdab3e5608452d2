import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../shared/runtime/clients";
import type { AssetStatus, CatalogueRow, RowError } from "../shared/catalogue/row";

/**
 * The two catalogue writes of the failure recorder. They need a condition shared/catalogue/update-row.ts `updateRow` cannot
 * express yet (revision AND redrive count), so they build their UpdateCommand here; the shape of the row is the
 * same. Both return false, writing nothing, when the condition fails.
 *
 * Why the redrive count: EventBridge does not order events, so attempt N's FAILED can arrive after the RUNNING
 * of redrive N+1, and a redrive's RUNNING after that redrive's own FAILED. With `execution.redriveCount` on the
 * row, a FAILED of attempt N writes only while the row is at attempt ≤ N, and the RUNNING of redrive N only
 * while the row is at an attempt < N. Whatever the arrival order, the row ends describing the latest attempt.
 */

export interface ExecutionRef {
  readonly arn: string;
  readonly consoleUrl: string;
  readonly redriveCount: number;
}

interface RowKey {
  readonly assetId: string;
  /** The claim's revision: an old execution never writes over a newer upload's row. */
  readonly revision: string;
}

/** Row → FAILED with the error and the execution to redrive. */
export async function markFailed(
  tableName: string,
  row: RowKey & { readonly error: RowError; readonly execution: ExecutionRef },
): Promise<boolean> {
  return conditionalUpdate({
    TableName: tableName,
    Key: { assetId: row.assetId },
    UpdateExpression: "SET #status = :status, #error = :error, #execution = :execution, #updatedAt = :now",
    ConditionExpression: `#revision = :revision AND (attribute_not_exists(#execution.#redriveCount) OR #execution.#redriveCount <= :redriveCount)`,
    ExpressionAttributeNames: NAMES,
    ExpressionAttributeValues: {
      ":status": "FAILED" satisfies AssetStatus,
      ":error": row.error,
      ":execution": row.execution satisfies CatalogueRow["execution"],
      ":now": new Date().toISOString(),
      ":revision": row.revision,
      ":redriveCount": row.execution.redriveCount,
    },
  });
}

/** Row → back in progress at the redriven state, error removed. */
export async function markResumed(
  tableName: string,
  row: RowKey & { readonly status: AssetStatus; readonly execution: ExecutionRef },
): Promise<boolean> {
  return conditionalUpdate({
    TableName: tableName,
    Key: { assetId: row.assetId },
    UpdateExpression: "SET #status = :status, #execution = :execution, #updatedAt = :now REMOVE #error",
    ConditionExpression: `#revision = :revision AND (attribute_not_exists(#execution.#redriveCount) OR #execution.#redriveCount < :redriveCount)`,
    ExpressionAttributeNames: NAMES,
    ExpressionAttributeValues: {
      ":status": row.status,
      ":execution": row.execution satisfies CatalogueRow["execution"],
      ":now": new Date().toISOString(),
      ":revision": row.revision,
      ":redriveCount": row.execution.redriveCount,
    },
  });
}

const NAMES = {
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
    if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}
