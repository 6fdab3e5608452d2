import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
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

/**
 * A mocked S3 client whose HeadObject (no version id: the key's current version) answers `versionId`,
 * reset before each test; a test passes another id to play a re-upload (shared/media/source-version.ts).
 * Call once at a test file's top level.
 * @example const source = mockCurrentSourceVersion(request.upload.source.versionId);
 */
export function mockCurrentSourceVersion(versionId: string) {
  const s3Mock = mockClient(S3Client);
  const answer = (current: string) => s3Mock.on(HeadObjectCommand).resolves({ VersionId: current });
  beforeEach(() => {
    s3Mock.reset();
    answer(versionId);
  });
  return { s3Mock, reuploaded: (newer: string) => answer(newer) };
}
