import { UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import type { DocumentClientMock } from "./aws-mocks";

/** The UpdateItem inputs a mocked document client received for `table`, in order. */
export function updatesTo(dynamoMock: DocumentClientMock, table: string): UpdateCommandInput[] {
  return dynamoMock
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.TableName === table);
}

/**
 * The values an update SETs, by attribute name: decodes the `#fN = :vN` placeholders that
 * shared/catalogue/update-row.ts and shared/transcode/attempt.ts `openTask` write.
 * @example setValues(update).status === "TRANSCODING"
 */
export function setValues(update: UpdateCommandInput | undefined): Record<string, unknown> {
  const names = update?.ExpressionAttributeNames ?? {};
  const values = update?.ExpressionAttributeValues ?? {};
  return Object.fromEntries(
    Object.entries(names)
      .filter(([placeholder]) => placeholder.startsWith("#f"))
      .map(([placeholder, field]) => [field, values[placeholder.replace("#f", ":v")]]),
  );
}
