import { SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";

/**
 * The mocks every test of a task's callback path sets up the same way: Step Functions and the DynamoDB
 * document client, reset before each test, every SendTask* and UpdateItem answering success unless the
 * test says otherwise (aws-sdk-client-mock: the last matching `.on(...)` wins). Call once at a test
 * file's top level.
 * @example const { sfnMock, dynamoMock } = mockTaskCallbackClients();
 */
export function mockTaskCallbackClients() {
  const sfnMock = mockClient(SFNClient);
  const dynamoMock = mockClient(DynamoDBDocumentClient);
  beforeEach(() => {
    sfnMock.reset();
    dynamoMock.reset();
    sfnMock.resolves({});
    dynamoMock.on(UpdateCommand).resolves({});
  });
  return { sfnMock, dynamoMock };
}

/** A mocked DynamoDB document client. */
export type DocumentClientMock = ReturnType<typeof mockTaskCallbackClients>["dynamoMock"];
