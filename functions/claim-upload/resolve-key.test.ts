import "./test-env";
import { HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
// Brings the toHaveReceivedCommand… matcher types in (tsconfig "types" lists only node and jest).
import type {} from "aws-sdk-client-mock-jest";
import { logger } from "../shared/runtime/powertools";
import { keyCandidates, resolveKey, type UploadedObject } from "./resolve-key";
import { BUCKET, notFound } from "./test-support";

const s3Mock = mockClient(S3Client);

const VERSION = "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e";
const ETAG = "b1946ac92492d2347c6235b4d2611184";

function uploaded(key: string): UploadedObject {
  return { bucket: BUCKET, key, versionId: VERSION, size: 5, etag: ETAG };
}

describe("keyCandidates", () => {
  it("tries the key as delivered, then percent-decoded, then form-decoded", () => {
    expect(keyCandidates("c%2B%2B+talk%20(1).mp4")).toEqual([
      { form: "as-delivered", key: "c%2B%2B+talk%20(1).mp4" },
      { form: "percent-decoded", key: "c+++talk (1).mp4" },
      { form: "form-decoded", key: "c++ talk (1).mp4" },
    ]);
  });

  it("tries a key only once when decoding does not change it", () => {
    expect(keyCandidates("videos/plain.mp4")).toEqual([{ form: "as-delivered", key: "videos/plain.mp4" }]);
  });

  it("skips readings that are not valid percent-encoding", () => {
    expect(keyCandidates("100% sure+.mp4")).toEqual([{ form: "as-delivered", key: "100% sure+.mp4" }]);
  });
});

describe("resolveKey", () => {
  beforeEach(() => {
    s3Mock.reset();
    s3Mock.on(HeadObjectCommand).rejects(notFound());
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("asks S3 for each reading with the event's version id and logs the one that matched", async () => {
    // Prepare
    s3Mock
      .on(HeadObjectCommand, { Key: "lecture 01 (final).mov" })
      .resolves({ ContentLength: 5, ETag: `"${ETAG}"` });
    const info = jest.spyOn(logger, "info");

    // Act
    const resolved = await resolveKey(uploaded("lecture+01+%28final%29.mov"));

    // Assess
    expect(resolved).toEqual({ key: "lecture 01 (final).mov", form: "form-decoded", etag: ETAG });
    expect(s3Mock).toHaveReceivedNthCommandWith(1, HeadObjectCommand, {
      Bucket: BUCKET,
      Key: "lecture+01+%28final%29.mov",
      VersionId: VERSION,
    });
    expect(s3Mock).toHaveReceivedNthCommandWith(2, HeadObjectCommand, {
      Bucket: BUCKET,
      Key: "lecture+01+(final).mov",
      VersionId: VERSION,
    });
    expect(s3Mock).toHaveReceivedCommandTimes(HeadObjectCommand, 3);
    expect(info).toHaveBeenCalledWith("source key resolved", {
      form: "form-decoded",
      key: "lecture 01 (final).mov",
    });
  });

  it("passes over an object under another reading whose size or ETag differ from the upload", async () => {
    // Prepare: "a+b.mp4" exists but is another file; the upload is "a b.mp4"
    s3Mock.on(HeadObjectCommand, { Key: "a+b.mp4" }).resolves({ ContentLength: 999, ETag: `"${ETAG}"` });
    s3Mock.on(HeadObjectCommand, { Key: "a b.mp4" }).resolves({ ContentLength: 5, ETag: `"${ETAG}"` });

    // Act
    const resolved = await resolveKey(uploaded("a+b.mp4"));

    // Assess
    expect(resolved).toEqual({ key: "a b.mp4", form: "form-decoded", etag: ETAG });
  });

  it("does not accept an object whose ETag differs, even with the right size", async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand, { Key: "clip.mp4" }).resolves({ ContentLength: 5, ETag: '"0000"' });

    // Act
    const resolved = await resolveKey(uploaded("clip.mp4"));

    // Assess
    expect(resolved).toBeUndefined();
  });

  it("returns nothing when no reading of the key exists at that version", async () => {
    expect(await resolveKey(uploaded("gone+away.mp4"))).toBeUndefined();
    expect(s3Mock).toHaveReceivedCommandTimes(HeadObjectCommand, 2);
  });

  it("lets errors other than 404 propagate instead of trying the next reading", async () => {
    // Prepare: without s3:ListBucket, S3 answers 403 for a missing key
    const forbidden = new S3ServiceException({
      name: "Forbidden",
      $fault: "client",
      message: "Forbidden",
      $metadata: { httpStatusCode: 403 },
    });
    s3Mock.on(HeadObjectCommand).rejects(forbidden);

    // Act
    const attempt = resolveKey(uploaded("a+b.mp4"));

    // Assess
    await expect(attempt).rejects.toBe(forbidden);
    expect(s3Mock).toHaveReceivedCommandTimes(HeadObjectCommand, 1);
  });
});
