import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WAITING_ATTRIBUTE, WAITING_TASKS_INDEX } from "./lib/ledger-schema";

/** The ledger attribute DynamoDB TTL reads (epoch seconds); see `ClaimItem.expiresAt` in functions/shared/ledger/items.ts. */
export const LEDGER_TTL_ATTRIBUTE = "expiresAt";

export interface CatalogueArgs {
  /**
   * Refuse `DeleteTable` (and so `pulumi destroy`) on both tables. Default false: a dev stack must
   * destroy cleanly, and a table deleted with point-in-time recovery on leaves a system backup
   * that can be restored for 35 days. Set it on a production stack.
   */
  readonly deletionProtection?: pulumi.Input<boolean>;
}

/**
 * The two DynamoDB tables (ARCHITECTURE.md decision 8):
 * - catalogue: one row per asset (partition key `assetId`), what people and players read;
 * - ledger: the pipeline's bookkeeping (partition key `pk`: `claim#…` items that stop duplicate
 *   executions, `task#…` items holding task tokens), which expire through TTL on `expiresAt`, with
 *   the sparse index `waiting-tasks` over the open tasks.
 *
 * Both on-demand (ingest is bursty and idle most of the time), with point-in-time recovery, and
 * encrypted at rest with the AWS managed key `alias/aws/dynamodb` rather than the default AWS
 * owned key: each use of the key shows in CloudTrail, and unlike a customer managed key there is
 * no key policy to keep and no `kms:` permission the function roles need.
 */
export class Catalogue extends pulumi.ComponentResource {
  public readonly catalogueTableName: pulumi.Output<string>;
  public readonly catalogueTableArn: pulumi.Output<string>;
  public readonly ledgerTableName: pulumi.Output<string>;
  public readonly ledgerTableArn: pulumi.Output<string>;

  constructor(name: string, args: CatalogueArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("vod:catalogue:Catalogue", name, {}, opts);
    const deletionProtectionEnabled = args.deletionProtection ?? false;

    const catalogue = new aws.dynamodb.Table(
      `${name}-catalogue`,
      { ...tableBasics("assetId"), deletionProtectionEnabled },
      { parent: this },
    );

    const ledger = new aws.dynamodb.Table(
      `${name}-ledger`,
      {
        ...tableBasics("pk"),
        attributes: [
          { name: "pk", type: "S" },
          { name: WAITING_ATTRIBUTE, type: "S" },
        ],
        globalSecondaryIndexes: [
          {
            name: WAITING_TASKS_INDEX,
            keySchemas: [{ attributeName: WAITING_ATTRIBUTE, keyType: "HASH" }],
            // The reconciler needs the whole task (token, job, outputs); open tasks are few.
            projectionType: "ALL",
          },
        ],
        deletionProtectionEnabled,
        // TTL deletes in the background, typically within days: readers must still check expiresAt.
        ttl: { attributeName: LEDGER_TTL_ATTRIBUTE, enabled: true },
      },
      { parent: this },
    );

    this.catalogueTableName = catalogue.name;
    this.catalogueTableArn = catalogue.arn;
    this.ledgerTableName = ledger.name;
    this.ledgerTableArn = ledger.arn;
    this.registerOutputs({
      catalogueTableName: this.catalogueTableName,
      catalogueTableArn: this.catalogueTableArn,
      ledgerTableName: this.ledgerTableName,
      ledgerTableArn: this.ledgerTableArn,
    });
  }
}

/**
 * Settings both tables share: a string partition key, on-demand billing, point-in-time recovery,
 * and encryption with the AWS managed key (`enabled: true` without a key ARN).
 */
export function tableBasics(partitionKey: string): aws.dynamodb.TableArgs {
  return {
    billingMode: "PAY_PER_REQUEST",
    hashKey: partitionKey,
    attributes: [{ name: partitionKey, type: "S" }],
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true },
  };
}
