import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../runtime/clients";
import type { CatalogueRow } from "./row";

/** Fields a handler may set on a catalogue row (everything but the key). */
export type RowFields = Partial<Omit<CatalogueRow, "assetId">>;

export interface RowUpdateOptions {
  /** Only update while the row still describes this revision (a newer upload owns the row otherwise). */
  readonly revision?: string;
  /**
   * Only update while the row follows this MediaConvert job (or none yet): submit-job names the job of
   * the current attempt, and a job of an earlier attempt that reports late must not write over it.
   */
  readonly jobId?: string;
  /** Fields to delete (e.g. "error" when a redrive resumes). */
  readonly remove?: readonly (keyof CatalogueRow)[];
}

/**
 * Sets top-level fields on a catalogue row, always stamping `updatedAt` with `now`. The transitions in
 * ./life-cycle.ts are its callers. Returns false (and writes nothing) when `revision` or `jobId` is given
 * and the row has moved on.
 */
export async function updateRow(
  tableName: string,
  assetId: string,
  fields: RowFields,
  now: Date,
  options: RowUpdateOptions = {},
): Promise<boolean> {
  const values: Record<string, unknown> = { updatedAt: now.toISOString(), ...fields };
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
  const conditions: string[] = [];
  if (options.revision !== undefined) {
    names["#revision"] = "revision";
    attributeValues[":revision"] = options.revision;
    conditions.push("#revision = :revision");
  }
  if (options.jobId !== undefined) {
    Object.assign(names, { "#job": "job", "#jobId": "id" });
    attributeValues[":jobId"] = options.jobId;
    conditions.push("(attribute_not_exists(#job.#jobId) OR #job.#jobId = :jobId)");
  }
  const condition = conditions.length > 0 ? conditions.join(" AND ") : undefined;
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
