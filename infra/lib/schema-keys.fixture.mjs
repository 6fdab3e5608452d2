// Sends the kinds of request our handlers send, one per protocol and trait the SDK's schemas carry
// (REST-XML labels, headers, query strings and XML bodies; REST-JSON `jsonName`; AWS JSON 1.0/1.1), to a
// loopback server of its own, and prints each request as the server received it. bundle.test.ts runs it
// twice, as it is (the SDK packages unbundled) and bundled by bundleHandler (schemas rewritten by
// schema-keys.ts), and expects the same requests. Plain JavaScript so Node.js runs it without a build.
import { createServer } from "node:http";
import { CloudFrontClient, CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { CreateJobCommand, GetJobCommand, MediaConvertClient } from "@aws-sdk/client-mediaconvert";
import {
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import { ChangeMessageVisibilityBatchCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

/** Headers that differ between any two sends (the server's port, time, random ids, the SDK's build in the user agent). */
const VOLATILE = new Set([
  "host",
  "authorization",
  "x-amz-date",
  "amz-sdk-invocation-id",
  "amz-sdk-request",
  "user-agent",
  "x-amz-user-agent",
]);

/** A response in the request's protocol with members to parse: what S3 or CloudFront (XML) or the rest (JSON) answer. */
function reply(request) {
  const xml = (body) => ["application/xml", `<?xml version="1.0" encoding="UTF-8"?>${body}`];
  if (request.url.includes("versions=")) {
    return xml(
      '<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>output</Name><IsTruncated>false</IsTruncated>' +
        "<Version><Key>assets/a1/x.m4s</Key><VersionId>v1</VersionId><IsLatest>true</IsLatest><Size>42</Size></Version>" +
        "<DeleteMarker><Key>assets/a1/y.m4s</Key><VersionId>v0</VersionId></DeleteMarker></ListVersionsResult>",
    );
  }
  if (request.url.includes("delete=")) {
    return xml(
      '<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Deleted><Key>assets/a1/x.m4s</Key><VersionId>v1</VersionId></Deleted></DeleteResult>',
    );
  }
  if (request.url.includes("/invalidation")) {
    return xml(
      '<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>I1</Id><Status>InProgress</Status>' +
        "<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/a1/*</Path></Items></Paths><CallerReference>a1</CallerReference></InvalidationBatch></Invalidation>",
    );
  }
  if (request.url.startsWith("/2017-08-29/jobs")) {
    return [
      "application/json",
      JSON.stringify({
        job: {
          id: "1700000000000-abc123",
          status: "PROGRESSING",
          userMetadata: { assetId: "a1" },
          jobPercentComplete: 40,
        },
      }),
    ];
  }
  if (request.method === "HEAD") return ["application/xml", ""];
  return [
    "application/x-amz-json-1.0",
    JSON.stringify({
      MessageId: "m1",
      Failed: [],
      Successful: [{ Id: "0" }],
      Attributes: { status: { S: "PUBLISHED" } },
    }),
  ];
}

const received = [];
const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([name]) => !VOLATILE.has(name))
        .sort(),
    );
    received.push({
      method: request.method,
      url: request.url,
      headers,
      body: Buffer.concat(chunks).toString("utf8"),
    });
    const [type, body] = reply(request);
    response.writeHead(200, { "content-type": type, "x-amz-version-id": "v2" }).end(body);
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const endpoint = `http://127.0.0.1:${server.address().port}`;
const config = {
  region: "us-east-1",
  endpoint,
  maxAttempts: 1,
  credentials: { accessKeyId: "AKIDSCHEMAKEYS000001", secretAccessKey: "secret" },
};
const s3 = new S3Client({ ...config, forcePathStyle: true });
const mediaConvert = new MediaConvertClient(config);
// The queue URL stays out of the endpoint so the body names no port; MD5s are the server's to send.
const sqs = new SQSClient({ ...config, useQueueUrlAsEndpoint: false, md5: false });
const sends = [
  () =>
    s3.send(
      new HeadObjectCommand({
        Bucket: "source",
        Key: "in/a b.mp4",
        IfMatch: '"etag"',
        PartNumber: 1,
        ExpectedBucketOwner: "123456789012",
      }),
    ),
  () =>
    s3.send(
      new ListObjectVersionsCommand({ Bucket: "output", Prefix: "assets/a1/", MaxKeys: 100, KeyMarker: "k" }),
    ),
  () =>
    s3.send(
      new DeleteObjectsCommand({
        Bucket: "output",
        Delete: { Objects: [{ Key: "assets/a1/x.m4s", VersionId: "v1" }], Quiet: true },
      }),
    ),
  () =>
    mediaConvert.send(
      new CreateJobCommand({
        Role: "arn:aws:iam::123456789012:role/mc",
        Queue: "arn:aws:mediaconvert:us-east-1:123456789012:queues/q",
        ClientRequestToken: "token-1",
        UserMetadata: { assetId: "a1" },
        Tags: { stack: "vod" },
        Settings: {
          Inputs: [
            {
              FileInput: "s3://source/in/a.mp4",
              AudioSelectors: { "Audio Selector 1": { DefaultSelection: "DEFAULT" } },
            },
          ],
          OutputGroups: [
            {
              OutputGroupSettings: {
                Type: "CMAF_GROUP_SETTINGS",
                CmafGroupSettings: { Destination: "s3://output/a1/", SegmentLength: 6, FragmentLength: 2 },
              },
              Outputs: [
                {
                  NameModifier: "_720p",
                  ContainerSettings: { Container: "CMFC" },
                  VideoDescription: {
                    Width: 1280,
                    Height: 720,
                    CodecSettings: {
                      Codec: "H_264",
                      H264Settings: {
                        RateControlMode: "QVBR",
                        MaxBitrate: 3_000_000,
                        QvbrSettings: { QvbrQualityLevel: 7 },
                      },
                    },
                  },
                },
              ],
            },
          ],
        },
      }),
    ),
  () => mediaConvert.send(new GetJobCommand({ Id: "1700000000000-abc123" })),
  () =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/failures`,
        MessageBody: "{}",
        MessageAttributes: { kind: { DataType: "String", StringValue: "failure" } },
      }),
    ),
  () =>
    sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/admission`,
        Entries: [{ Id: "0", ReceiptHandle: "r", VisibilityTimeout: 60 }],
      }),
    ),
  () => new SFNClient(config).send(new SendTaskSuccessCommand({ taskToken: "t", output: '{"ok":true}' })),
  () =>
    new DynamoDBClient(config).send(
      new UpdateItemCommand({
        TableName: "catalogue",
        Key: { assetId: { S: "a1" } },
        UpdateExpression: "SET #s = :s",
        ConditionExpression: "attribute_exists(assetId)",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":s": { S: "PUBLISHED" } },
      }),
    ),
  () =>
    new CloudFrontClient(config).send(
      new CreateInvalidationCommand({
        DistributionId: "E123",
        InvalidationBatch: { CallerReference: "a1", Paths: { Quantity: 1, Items: ["/a1/*"] } },
      }),
    ),
];
const outcomes = [];
for (const send of sends) {
  // What the client parsed from the response, or the error it threw: deserialising reads the schemas too.
  outcomes.push(
    await send().then(
      ({ $metadata, ...output }) => output,
      (error) => `error ${error.name}: ${error.message}`,
    ),
  );
}
server.close();
process.stdout.write(JSON.stringify({ received, outcomes }));
