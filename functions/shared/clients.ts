import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { MediaConvertClient } from "@aws-sdk/client-mediaconvert";
import { MediaPackageVodClient } from "@aws-sdk/client-mediapackage-vod";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SQSClient } from "@aws-sdk/client-sqs";

/**
 * SDK clients, created once per Lambda container (module scope) and shared by every handler.
 * Region and credentials come from the Lambda environment. Endpoints can be redirected with the
 * SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables (the local workflow runner uses
 * `AWS_ENDPOINT_URL_DYNAMODB`). MediaConvert needs no DescribeEndpoints: the regional endpoint works.
 * The SDK's own retries (3 attempts) absorb short blips; longer throttling surfaces as
 * Vod.ServiceBusy and the state machine retries the Task with backoff.
 */
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
export const mediaConvert = new MediaConvertClient({});
export const mediaPackageVod = new MediaPackageVodClient({});
export const s3 = new S3Client({});
export const stepFunctions = new SFNClient({});
export const sqs = new SQSClient({});
