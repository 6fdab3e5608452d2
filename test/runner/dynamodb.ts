import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  type CreateTableCommandInput,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { REGION } from "./aws";
import { WAITING_ATTRIBUTE, WAITING_TASKS_INDEX } from "../../infra/lib/ledger-schema";

/**
 * A real DynamoDB engine in this process: dynalite (LevelDB in memory) on 127.0.0.1, reached over
 * HTTP by the unmodified SDK clients. The handlers' module-scoped client finds it through the SDK's
 * `AWS_ENDPOINT_URL_DYNAMODB` variable, which must be set before their modules load; since that
 * client lives as long as the module, one engine serves the whole process (every runner in a jest
 * test file), and each runner recreates its tables empty.
 */
export class LocalDynamo {
  private static shared: Promise<LocalDynamo> | undefined;

  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {
    this.client = new DynamoDBClient({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    this.doc = DynamoDBDocumentClient.from(this.client, { marshallOptions: { removeUndefinedValues: true } });
  }

  /** The process's engine, started on first use. */
  static instance(): Promise<LocalDynamo> {
    LocalDynamo.shared ??= LocalDynamo.startServer();
    return LocalDynamo.shared;
  }

  /** Stops the engine (jest `afterAll`); the next `instance()` would start another on a new port. */
  static async shutdown(): Promise<void> {
    const current = LocalDynamo.shared;
    LocalDynamo.shared = undefined;
    if (!current) return;
    const dynamo = await current;
    dynamo.client.destroy();
    await new Promise<void>((resolve) => dynamo.server.close(() => resolve()));
  }

  private static async startServer(): Promise<LocalDynamo> {
    // dynalite ships no types; its factory returns an http.Server.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dynalite = require("dynalite") as (options: Record<string, number>) => Server;
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    // Never the reason a test process stays alive.
    server.unref();
    const { port } = server.address() as AddressInfo;
    return new LocalDynamo(server, `http://127.0.0.1:${port}`);
  }

  /** Creates a table (deleting an older one of that name first) and waits until it is ACTIVE. */
  async recreateTable(input: CreateTableCommandInput): Promise<void> {
    const existing = await this.client.send(new ListTablesCommand({}));
    if (existing.TableNames?.includes(input.TableName!)) {
      await this.client.send(new DeleteTableCommand({ TableName: input.TableName }));
      await this.waitFor(input.TableName!, "gone");
    }
    await this.client.send(new CreateTableCommand(input));
    await this.waitFor(input.TableName!, "ACTIVE");
  }

  async get<T>(tableName: string, key: Record<string, unknown>): Promise<T | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    return Item as T | undefined;
  }

  async scan<T>(tableName: string): Promise<T[]> {
    const items: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      items.push(...((page.Items ?? []) as T[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async waitFor(tableName: string, state: "ACTIVE" | "gone"): Promise<void> {
    for (let i = 0; i < 200; i++) {
      try {
        const { Table } = await this.client.send(new DescribeTableCommand({ TableName: tableName }));
        if (state === "ACTIVE" && Table?.TableStatus === "ACTIVE") return;
      } catch (error) {
        if (state === "gone" && (error as Error).name === "ResourceNotFoundException") return;
        if (state === "ACTIVE") throw error;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`DynamoDB table ${tableName} did not become ${state}`);
  }
}

/**
 * The stack's tables as infra creates them (on-demand; catalogue keyed by `assetId`, ledger by `pk`,
 * both strings, with the sparse waiting-tasks index). Keep in step with the catalogue component.
 *
 * One deliberate difference: the runner's waiting-tasks index also has `pk` as its sort key. dynalite 4
 * keys an index entry by the index keys plus only the first six hex digits of an MD5 of the table key
 * (`hashPrefix` in dynalite/db/index.js: "for now just first six chars"), so with a hash-only index two
 * open tasks whose digests share those 24 bits overwrite each other's entry and one of them vanishes
 * from the reconciler's query: about 3 tasks among 10,000, which then miss every heartbeat (the bench's
 * 10,000-title burst lost titles to States.HeartbeatTimeout this way). A sort key puts the whole `pk` in
 * the entry's key. DynamoDB has no such collision, and the reconciler's query (`waiting = "1"`, every
 * page) reads the same items either way.
 */
export function tableDefinitions(catalogueTable: string, ledgerTable: string): CreateTableCommandInput[] {
  const table = (name: string, hashKey: string): CreateTableCommandInput => ({
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: hashKey, AttributeType: "S" }],
    KeySchema: [{ AttributeName: hashKey, KeyType: "HASH" }],
  });
  const ledger = table(ledgerTable, "pk");
  return [
    table(catalogueTable, "assetId"),
    {
      ...ledger,
      AttributeDefinitions: [
        ...ledger.AttributeDefinitions!,
        { AttributeName: WAITING_ATTRIBUTE, AttributeType: "S" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: WAITING_TASKS_INDEX,
          KeySchema: [
            { AttributeName: WAITING_ATTRIBUTE, KeyType: "HASH" },
            { AttributeName: "pk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        },
      ],
    },
  ];
}
