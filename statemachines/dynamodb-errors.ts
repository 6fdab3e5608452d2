/**
 * The errors a `dynamodb:updateItem` Task (the optimized integration) fails with. Step Functions names
 * them `DynamoDB.<ExceptionName>`, with the upper-case "DB" of the optimized integrations (the AWS SDK
 * integration says `DynamoDb.`): https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 * ("Exception prefix differences"). The exception names are UpdateItem's modelled errors
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#API_UpdateItem_Errors);
 * anything else DynamoDB refuses (a ValidationException: a bad expression, a missing value) comes back
 * as `DynamoDB.AmazonDynamoDBException`, so that name is never retried: it would repeat a request that
 * can only fail again. The local runner (test/runner/workflow.ts) reports errors by these same names.
 */

/** UpdateItem's modelled errors, reported as `DynamoDB.<name>`. */
export const UPDATE_ITEM_ERRORS = [
  "ConditionalCheckFailedException",
  "InternalServerError",
  "ItemCollectionSizeLimitExceededException",
  "ProvisionedThroughputExceededException",
  "ReplicatedWriteConflictException",
  "RequestLimitExceeded",
  "ResourceNotFoundException",
  "ThrottlingException",
  "TransactionConflictException",
] as const;
export type UpdateItemError = (typeof UPDATE_ITEM_ERRORS)[number];

/**
 * The ones a later attempt may cure: throttling (table, account, on-demand), a server error, and a
 * write that collided with a transaction or another Region's write. Not ConditionalCheckFailed (the
 * row belongs to a newer upload: caught), ResourceNotFound (no table), ItemCollectionSizeLimitExceeded
 * (no local index here; would need a schema change).
 */
export const TRANSIENT_UPDATE_ITEM_ERRORS = [
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "TransactionConflictException",
  "ReplicatedWriteConflictException",
] as const satisfies readonly UpdateItemError[];

/** Step Functions' name for a DynamoDB exception of the optimized integration. */
export function optimizedDynamoDbError(name: string): string {
  return `DynamoDB.${name}`;
}

/** What the optimized integration reports for an error UpdateItem does not model (e.g. ValidationException). */
export const UNMODELLED_DYNAMODB_ERROR = optimizedDynamoDbError("AmazonDynamoDBException");
