import {
  BadRequestException,
  ForbiddenException,
  MediaConvertClient,
  ProbeCommand,
  TooManyRequestsException,
  UnprocessableEntityException,
} from "@aws-sdk/client-mediaconvert";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type GetCommandInput,
  type PutCommandInput,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
// Brings the toHaveReceivedCommand… matcher types in (tsconfig "types" lists only node and jest).
import type {} from "aws-sdk-client-mock-jest";
import { assetIdFor, claimKey, revisionFor } from "./asset-id";
import type { ClaimResult } from "../shared/contract/workflow";
import { handler } from "./handler";
import {
  BUCKET,
  EXECUTION_ARN,
  OTHER_EXECUTION_ARN,
  claimPayload,
  conditionalCheckFailed,
  formEncoded,
  lambdaContext,
  notFound,
  objectCreated,
  probeResult,
  type ObjectOverrides,
} from "./test-support";
import { setFunctionEnvironment } from "../shared/testing/env";
import { setValues, updatesTo } from "../shared/testing/dynamodb-writes";
import { ClaimUploadEnvSchema } from "./env";

const { CATALOGUE_TABLE, LEDGER_TABLE } = setFunctionEnvironment(
  ClaimUploadEnvSchema,
  {
    LEDGER_TABLE: "vod-ledger-test",
    CATALOGUE_TABLE: "vod-catalogue-test",
    ACCEPTED_EXTENSIONS: "mp4,mov,mkv",
  },
  "ca-central-1",
);

const s3Mock = mockClient(S3Client);
const mediaConvertMock = mockClient(MediaConvertClient);
const dynamoMock = mockClient(DynamoDBDocumentClient);

/** A video key; the documented fixture's "example-key" has no extension. */
const KEY = "videos/talk.mp4";
const NOW = new Date("2025-03-01T10:00:00.000Z");
const VERSION = "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e";
const ETAG = "b1946ac92492d2347c6235b4d2611184";
/** The fixture's sequencer "617f08299329d189", padded to 32 and upper-cased. */
const PADDED_SEQUENCER = "0000000000000000617F08299329D189";
const CONSOLE_URL = `https://ca-central-1.console.aws.amazon.com/states/home?region=ca-central-1#/v2/executions/details/${EXECUTION_ARN}`;

/** S3 holds `key` at `versionId` with this size and ETag; every other HeadObject answers 404. */
function givenObject(key: string, { size = 5, etag = ETAG, versionId = VERSION } = {}): void {
  s3Mock
    .on(HeadObjectCommand, { Bucket: BUCKET, Key: key, VersionId: versionId })
    .resolves({ ContentLength: size, ETag: `"${etag}"`, VersionId: versionId });
}

/** The ledger table, in memory: a put conditioned on attribute_not_exists(pk) fails once pk is taken. */
function givenLedger(): void {
  const claims = new Map<string, Record<string, unknown>>();
  dynamoMock.on(PutCommand, { TableName: LEDGER_TABLE }).callsFake((input: PutCommandInput) => {
    const item = input.Item ?? {};
    if (claims.has(String(item.pk))) throw conditionalCheckFailed();
    claims.set(String(item.pk), item);
    return {};
  });
  dynamoMock
    .on(GetCommand, { TableName: LEDGER_TABLE })
    .callsFake((input: GetCommandInput) => ({ Item: claims.get(String(input.Key?.pk)) }));
}

function invoke(overrides: ObjectOverrides = {}, executionArn = EXECUTION_ARN): Promise<ClaimResult> {
  return handler(claimPayload(objectCreated(overrides), executionArn), lambdaContext);
}

/** The catalogue writes (UpdateItem: the revision's fields set, the title's left alone). */
function catalogueWrites() {
  return updatesTo(dynamoMock, CATALOGUE_TABLE);
}

/** The row one catalogue write leaves: its key and the fields it sets. */
function rowSetBy(update: UpdateCommandInput | undefined): Record<string, unknown> {
  return {
    ...update?.Key,
    ...Object.fromEntries(Object.entries(setValues(update)).filter(([, value]) => value !== undefined)),
  };
}

function ledgerWrites() {
  return dynamoMock.commandCalls(PutCommand, { TableName: LEDGER_TABLE });
}

describe("claim-upload handler", () => {
  beforeEach(() => {
    s3Mock.reset();
    mediaConvertMock.reset();
    dynamoMock.reset();
    // Only Date is faked: middy and the SDK mocks still need real timers.
    jest.useFakeTimers({
      now: NOW,
      doNotFake: [
        "nextTick",
        "setImmediate",
        "clearImmediate",
        "setTimeout",
        "clearTimeout",
        "setInterval",
        "clearInterval",
        "queueMicrotask",
        "hrtime",
        "performance",
      ],
    });
    s3Mock.on(HeadObjectCommand).rejects(notFound());
    mediaConvertMock
      .on(ProbeCommand)
      .resolves({ ProbeResults: [probeResult({ width: 1920, height: 1080, seconds: 125.48 })] });
    givenLedger();
    dynamoMock.on(UpdateCommand, { TableName: CATALOGUE_TABLE }).resolves({});
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it("claims a video upload: resolved key, probed facts, a ledger claim and an INGESTING row", async () => {
    // Prepare
    const key = "videos/lecture.mp4";
    givenObject(key);
    const assetId = assetIdFor(BUCKET, key);
    const source = {
      bucket: BUCKET,
      key,
      versionId: VERSION,
      size: 5,
      etag: ETAG,
      sequencer: PADDED_SEQUENCER,
    };
    const facts = { widthPx: 1920, heightPx: 1080, durationMs: 125480, hasAudio: true };

    // Act
    const result = await invoke({ key });

    // Assess
    expect(result).toEqual({
      outcome: "CLAIMED",
      upload: { assetId, revision: revisionFor(VERSION), source, facts },
    });
    expect(dynamoMock).toHaveReceivedCommandWith(PutCommand, {
      TableName: LEDGER_TABLE,
      Item: {
        pk: claimKey(BUCKET, key, VERSION),
        assetId,
        executionArn: EXECUTION_ARN,
        claimedAt: NOW.toISOString(),
        expiresAt: NOW.getTime() / 1000 + 90 * 24 * 60 * 60,
      },
      ConditionExpression: "attribute_not_exists(pk)",
    });
    expect(mediaConvertMock).toHaveReceivedCommandWith(ProbeCommand, {
      InputFiles: [{ FileUrl: `s3://${BUCKET}/videos/lecture.mp4` }],
    });
    expect(catalogueWrites()).toHaveLength(1);
    expect(rowSetBy(catalogueWrites()[0])).toEqual({
      assetId,
      status: "INGESTING",
      title: "lecture.mp4",
      revision: revisionFor(VERSION),
      source,
      facts,
      execution: { arn: EXECUTION_ARN, consoleUrl: CONSOLE_URL },
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
  });

  it("stops a second execution for the same object version as DUPLICATE, with no second probe or row", async () => {
    // Prepare
    givenObject(KEY);

    // Act
    const first = await invoke({ key: KEY }, EXECUTION_ARN);
    const second = await invoke({ key: KEY }, OTHER_EXECUTION_ARN);

    // Assess
    expect(first.outcome).toBe("CLAIMED");
    expect(second).toEqual({ outcome: "DUPLICATE", assetId: assetIdFor(BUCKET, KEY) });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(ProbeCommand, 1);
    expect(catalogueWrites()).toHaveLength(1);
  });

  it("carries on when the same execution is retried after it claimed the version", async () => {
    // Prepare: the first attempt claims, then MediaConvert is throttled
    givenObject(KEY);
    mediaConvertMock
      .on(ProbeCommand)
      .rejectsOnce(new TooManyRequestsException({ message: "Too many requests", $metadata: {} }))
      .resolves({ ProbeResults: [probeResult({ width: 1280, height: 720, seconds: 10 })] });
    await expect(invoke({ key: KEY })).rejects.toMatchObject({ name: "Vod.ServiceBusy" });

    // Act: the state's retrier runs the task again in the same execution
    const retried = await invoke({ key: KEY });

    // Assess
    expect(retried.outcome).toBe("CLAIMED");
    expect(dynamoMock).toHaveReceivedCommandWith(GetCommand, {
      TableName: LEDGER_TABLE,
      Key: { pk: claimKey(BUCKET, KEY, VERSION) },
      ConsistentRead: true,
    });
    expect(catalogueWrites()).toHaveLength(1);
  });

  it("moves the row to a newer version of the key, conditioned on its higher sequencer", async () => {
    // Prepare
    const newer = {
      key: KEY,
      versionId: "b7sEw2Zg8xNRjhJ1rUq4lYvT0pKcD3aF",
      sequencer: "617f0829a000000000",
    };
    givenObject(KEY, { versionId: newer.versionId });

    // Act
    const result = await invoke(newer);

    // Assess
    expect(result).toMatchObject({ outcome: "CLAIMED", upload: { revision: revisionFor(newer.versionId) } });
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: CATALOGUE_TABLE,
      ConditionExpression:
        "attribute_not_exists(#assetId) OR #revision = :revision OR #source.#sequencer < :sequencer",
      ExpressionAttributeValues: expect.objectContaining({
        ":revision": revisionFor(newer.versionId),
        ":sequencer": "00000000000000617F0829A000000000",
      }),
    });
  });

  it("ignores an older version that arrives after a newer one owns the row", async () => {
    // Prepare
    givenObject(KEY);
    dynamoMock.on(UpdateCommand, { TableName: CATALOGUE_TABLE }).rejects(conditionalCheckFailed());

    // Act
    const result = await invoke({ key: KEY });

    // Assess
    expect(result).toEqual({
      outcome: "IGNORED",
      reason: "a newer version of this key is already in the catalogue",
    });
  });

  it("rejects a zero-byte upload with Vod.EmptySource, without probing it", async () => {
    // Prepare
    givenObject("videos/empty.mp4", { size: 0, etag: "d41d8cd98f00b204e9800998ecf8427e" });

    // Act
    const result = await invoke({
      key: "videos/empty.mp4",
      size: 0,
      etag: "d41d8cd98f00b204e9800998ecf8427e",
    });

    // Assess
    const reason = "'empty.mp4' is empty (0 bytes): the upload probably failed. Upload the file again.";
    expect(result).toEqual({ outcome: "REJECTED", assetId: assetIdFor(BUCKET, "videos/empty.mp4"), reason });
    expect(rowSetBy(catalogueWrites()[0])).toMatchObject({
      status: "REJECTED",
      error: { code: "Vod.EmptySource", message: reason, state: "Claim Upload" },
    });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(ProbeCommand, 0);
  });

  it("rejects a .txt with Vod.UnsupportedExtension and never calls Probe", async () => {
    // Prepare
    givenObject("notes.txt");

    // Act
    const result = await invoke({ key: "notes.txt" });

    // Assess
    const reason = "'notes.txt' is not a video: accepted extensions are mp4, mov, mkv.";
    expect(result).toEqual({ outcome: "REJECTED", assetId: assetIdFor(BUCKET, "notes.txt"), reason });
    expect(rowSetBy(catalogueWrites()[0])).toMatchObject({
      status: "REJECTED",
      title: "notes.txt",
      error: { code: "Vod.UnsupportedExtension", message: reason, state: "Claim Upload" },
    });
    expect(mediaConvertMock).toHaveReceivedCommandTimes(ProbeCommand, 0);
  });

  it("ignores a folder marker without touching S3, the ledger, MediaConvert or the catalogue", async () => {
    // Act
    const result = await invoke({ key: "videos/", size: 0, etag: "d41d8cd98f00b204e9800998ecf8427e" });

    // Assess
    expect(result).toEqual({ outcome: "IGNORED", reason: "'videos/' is a folder marker, not a file" });
    expect(s3Mock.calls()).toHaveLength(0);
    expect(dynamoMock.calls()).toHaveLength(0);
    expect(mediaConvertMock.calls()).toHaveLength(0);
  });

  describe.each([
    ["a space and brackets", "lecture 01 (final).mov"],
    ["plus signs", "c++ talk.mp4"],
    ["unicode in folders and name", "ünïcode/vidéo 😀.mp4"],
    ["deep folders", "a/b/c/d/e/f/g/2024 spring/week 3/intro.mkv"],
    ["a literal percent sign", "100% done+dusted.mp4"],
  ])("a key with %s", (_, realKey) => {
    it.each([
      ["as-is", realKey],
      ["form-encoded", formEncoded(realKey)],
    ])("resolves to the real object when delivered %s", async (_encoding, deliveredKey) => {
      // Prepare
      givenObject(realKey);

      // Act
      const result = await invoke({ key: deliveredKey });

      // Assess
      expect(result).toMatchObject({
        outcome: "CLAIMED",
        upload: { assetId: assetIdFor(BUCKET, realKey), source: { key: realKey } },
      });
      expect(mediaConvertMock).toHaveReceivedCommandWith(ProbeCommand, {
        InputFiles: [{ FileUrl: `s3://${BUCKET}/${realKey}` }],
      });
    });
  });

  it("rejects a file whose Probe finds no video track with Vod.NoVideoTrack", async () => {
    // Prepare
    givenObject("song.mp4");
    mediaConvertMock.on(ProbeCommand).resolves({
      ProbeResults: [
        { Container: { Format: "mp4", Duration: 200, Tracks: [{ TrackType: "audio", Codec: "AAC" }] } },
      ],
    });

    // Act
    const result = await invoke({ key: "song.mp4" });

    // Assess
    const reason = "'song.mp4' has no video track (MediaConvert found only an audio track).";
    expect(result).toEqual({ outcome: "REJECTED", assetId: assetIdFor(BUCKET, "song.mp4"), reason });
    expect(rowSetBy(catalogueWrites()[0])).toMatchObject({
      status: "REJECTED",
      error: { code: "Vod.NoVideoTrack", message: reason, state: "Claim Upload" },
    });
  });

  it.each([
    [
      "UnprocessableEntityException",
      new UnprocessableEntityException({ message: "The input file appears to be corrupt.", $metadata: {} }),
    ],
    [
      "BadRequestException",
      new BadRequestException({ message: "Unsupported input container.", $metadata: {} }),
    ],
  ])(
    "rejects a file MediaConvert cannot read (%s) with Vod.UnreadableSource and its message",
    async (_, error) => {
      // Prepare
      givenObject("broken.mp4");
      mediaConvertMock.on(ProbeCommand).rejects(error);

      // Act
      const result = await invoke({ key: "broken.mp4" });

      // Assess
      const reason = `MediaConvert could not read 'broken.mp4': ${error.message}`;
      expect(result).toEqual({ outcome: "REJECTED", assetId: assetIdFor(BUCKET, "broken.mp4"), reason });
      expect(rowSetBy(catalogueWrites()[0])).toMatchObject({
        error: { code: "Vod.UnreadableSource", message: reason, state: "Claim Upload" },
      });
    },
  );

  it("fails with Vod.ServiceBusy when Probe is throttled, so the state's retrier runs it again", async () => {
    // Prepare
    givenObject(KEY);
    mediaConvertMock
      .on(ProbeCommand)
      .rejects(
        new TooManyRequestsException({ message: "Too many requests", $metadata: { httpStatusCode: 429 } }),
      );

    // Act
    const attempt = invoke({ key: KEY });

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: "Vod.ServiceBusy" });
    expect(catalogueWrites()).toHaveLength(0);
  });

  it("fails the execution (not the upload) when MediaConvert may not read the source", async () => {
    // Prepare
    givenObject(KEY);
    mediaConvertMock
      .on(ProbeCommand)
      .rejects(new ForbiddenException({ message: "Access denied", $metadata: {} }));

    // Act
    const attempt = invoke({ key: KEY });

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: "ForbiddenException" });
    expect(catalogueWrites()).toHaveLength(0);
  });

  it("rejects an upload that is no longer in the bucket with Vod.SourceNotFound, without claiming it", async () => {
    // Act: every HeadObject answers 404
    const result = await invoke({ key: "gone+away.mp4" });

    // Assess
    const reason =
      `'gone+away.mp4' (version ${VERSION}, 5 bytes) is not in bucket '${BUCKET}' any more: ` +
      "it was probably deleted before it could be processed. Upload it again.";
    expect(result).toEqual({ outcome: "REJECTED", assetId: assetIdFor(BUCKET, "gone+away.mp4"), reason });
    expect(s3Mock).toHaveReceivedCommandTimes(HeadObjectCommand, 2);
    expect(ledgerWrites()).toHaveLength(0);
    expect(rowSetBy(catalogueWrites()[0])).toMatchObject({
      status: "REJECTED",
      error: { code: "Vod.SourceNotFound", message: reason, state: "Claim Upload" },
    });
  });

  it("fails on a payload that is not an S3 Object Created event, before calling AWS", async () => {
    // Prepare
    const payload = {
      event: { ...objectCreated(), "detail-type": "Object Deleted" },
      executionArn: EXECUTION_ARN,
    };

    // Act
    const attempt = handler(payload as never, lambdaContext);

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: "Vod.InvalidTaskInput",
      message: 'input does not match its schema: event.detail-type: Invalid input: expected "Object Created"',
    });
    expect(s3Mock.calls()).toHaveLength(0);
    expect(dynamoMock.calls()).toHaveLength(0);
  });

  it("fails on an event without a version id (an unversioned source bucket), naming the field", async () => {
    // Prepare
    const event = objectCreated({ key: KEY });
    delete (event.detail.object as Partial<typeof event.detail.object>)["version-id"];

    // Act
    const attempt = handler(claimPayload(event), lambdaContext);

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: "Vod.InvalidTaskInput",
      message:
        "input does not match its schema: event.detail.object.version-id: " +
        "Invalid input: expected string, received undefined",
    });
    expect(s3Mock.calls()).toHaveLength(0);
  });

  it("accepts an upload made over IPv6 (S3 dual-stack endpoints)", async () => {
    // Prepare
    givenObject(KEY);
    const event = objectCreated({ key: KEY });
    event.detail["source-ip-address"] = "2001:db8::8a2e:370:7334";

    // Act
    const result = await handler(claimPayload(event), lambdaContext);

    // Assess
    expect(result.outcome).toBe("CLAIMED");
  });

  it("fails on a payload without an execution ARN", async () => {
    await expect(handler({ event: objectCreated() } as never, lambdaContext)).rejects.toMatchObject({
      name: "Vod.InvalidTaskInput",
      message: expect.stringContaining("executionArn: Invalid input: expected string, received undefined"),
    });
  });
});
