import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { dynamo } from "../shared/runtime/clients";
import { SESSION_ROW_ATTRIBUTES, type SessionRow } from "./mint-playback-session";

/**
 * Reads the attributes a session needs from the catalogue row. Strongly consistent, so an unpublish takes
 * effect on the very next session request (an eventually consistent read may briefly return the old row);
 * the rows are small, so the doubled read cost is a fraction of a read unit.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
 */
export async function readSessionRow(tableName: string, assetId: string): Promise<SessionRow | undefined> {
  const names = Object.fromEntries(SESSION_ROW_ATTRIBUTES.map((name) => [`#${name}`, name]));
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName,
      Key: { assetId },
      ConsistentRead: true,
      ProjectionExpression: Object.keys(names).join(", "),
      ExpressionAttributeNames: names,
    }),
  );
  return Item as SessionRow | undefined;
}
