import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { LocalDynamo, tableDefinitions } from "./dynamodb";
import { WAITING_TASKS_INDEX } from "../../infra/lib/ledger-schema";

/**
 * The runner's ledger in dynalite keeps every open task in the waiting-tasks index (see
 * tableDefinitions): these two keys' MD5 digests (salted as dynalite salts them) share their first six
 * hex digits, 001e31, which is all dynalite keys a hash-only index entry by.
 */
const COLLIDING_TASK_KEYS = ["task#collide-122", "task#collide-5469"];

describe("runner DynamoDB (dynalite)", () => {
  afterAll(() => LocalDynamo.shutdown());

  it("returns every open task from the waiting-tasks index, even two whose dynalite digests collide", async () => {
    // Prepare
    const dynamo = await LocalDynamo.instance();
    const ledger = tableDefinitions("vod-dynamo-test-catalogue", "vod-dynamo-test-ledger")[1]!;
    await dynamo.recreateTable(ledger);
    for (const pk of COLLIDING_TASK_KEYS)
      await dynamo.doc.send(new PutCommand({ TableName: ledger.TableName, Item: { pk, waiting: "1" } }));

    // Act
    const { Items } = await dynamo.doc.send(
      new QueryCommand({
        TableName: ledger.TableName,
        IndexName: WAITING_TASKS_INDEX,
        KeyConditionExpression: "#waiting = :waiting",
        ExpressionAttributeNames: { "#waiting": "waiting" },
        ExpressionAttributeValues: { ":waiting": "1" },
      }),
    );

    // Assess
    expect((Items ?? []).map((item) => item.pk as string).sort()).toEqual([...COLLIDING_TASK_KEYS].sort());
  });
});
