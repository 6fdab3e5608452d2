import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { MediaConvertClient } from "@aws-sdk/client-mediaconvert";
import { MediaPackageVodClient } from "@aws-sdk/client-mediapackage-vod";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SQSClient } from "@aws-sdk/client-sqs";
import { credentials } from "./credentials";
import { traced } from "./tracing";

/**
 * SDK clients, created once per Lambda container (module scope) and shared by every handler.
 * Region and credentials come from the Lambda environment (credentials: ./credentials.ts). Endpoints can be redirected with the
 * SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables (the local workflow runner uses
 * `AWS_ENDPOINT_URL_DYNAMODB`). MediaConvert needs no DescribeEndpoints: the regional endpoint works.
 * The SDK's own retries (3 attempts) absorb short blips; longer throttling surfaces as
 * Vod.ServiceBusy and the state machine retries the Task with backoff.
 * Each client is `traced` (one X-Ray subsegment per call, with the `traceAwsCalls` config key: ./tracing.ts) and marked `@__PURE__` so
 * esbuild drops the ones a handler never uses from its bundle. The document client shares the middleware
 * stack of the DynamoDB client it wraps, so capturing that client traces the document client's calls.
 */
export const dynamo = /* @__PURE__ */ DynamoDBDocumentClient.from(
  /* @__PURE__ */ traced(/* @__PURE__ */ new DynamoDBClient({ credentials })),
  { marshallOptions: { removeUndefinedValues: true } },
);
export const mediaConvert = /* @__PURE__ */ traced(/* @__PURE__ */ new MediaConvertClient({ credentials }));
export const mediaPackageVod = /* @__PURE__ */ traced(
  /* @__PURE__ */ new MediaPackageVodClient({ credentials }),
);
export const s3 = /* @__PURE__ */ traced(/* @__PURE__ */ new S3Client({ credentials }));
export const stepFunctions = /* @__PURE__ */ traced(/* @__PURE__ */ new SFNClient({ credentials }));
export const sqs = /* @__PURE__ */ traced(/* @__PURE__ */ new SQSClient({ credentials }));
