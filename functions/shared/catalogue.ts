import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "./clients";
import type { CatalogueRow } from "./contracts";

/** Fields a handler may set on a catalogue row (everything but the key). */
export type RowFields = Partial<Omit<CatalogueRow, "assetId">>;

export interface RowUpdateOptions {
  /** Only update while the row still describes this revision (a newer upload owns the row otherwise). */
  readonly revision?: string;
  /** Fields to delete (e.g. "error" when a redrive resumes). */
  readonly remove?: readonly (keyof CatalogueRow)[];
}

/**
 * Sets top-level fields on a catalogue row, always stamping `updatedAt`.
 * Returns false (and writes nothing) when `revision` is given and the row has moved on to another one.
 */
export async function updateRow(
  tableName: string,
  assetId: string,
  fields: RowFields,
  options: RowUpdateOptions = {},
): Promise<boolean> {
  const values: Record<string, unknown> = { updatedAt: new Date().toISOString(), ...fields };
  const names: Record<string, string> = {};
  const attributeValues: Record<string, unknown> = {};
  const sets = Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([field, value], i) => {
      names[`#f${i}`] = field;
      attributeValues[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
  const removes = (options.remove ?? []).map((field, i) => {
    names[`#r${i}`] = field;
    return `#r${i}`;
  });
  let condition: string | undefined;
  if (options.revision !== undefined) {
    names["#revision"] = "revision";
    attributeValues[":revision"] = options.revision;
    condition = "#revision = :revision";
  }
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { assetId },
        UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: attributeValues,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
    throw error;
  }
}
