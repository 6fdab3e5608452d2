import { NotFoundException } from "@aws-sdk/client-mediapackage-vod";
import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { revisionFor } from "../shared/contract/asset-id";
import type { ClaimedUpload } from "../shared/contract/workflow";
import { mediaPackageVod, s3 } from "../shared/runtime/clients";
import registerRequest from "./events/register-request.json";
import { removeOlderRevisions } from "./older-revisions";
import { DeleteAsset, mockMediaPackage } from "./test-support";

const mediaPackage = mockMediaPackage();
const s3Mock = mockClient(S3Client);
const upload = registerRequest.upload as ClaimedUpload;
const { bucket, key, versionId } = upload.source;
const OUTPUT_BUCKET = "vod-output-123456789012";
const config = { outputBucket: OUTPUT_BUCKET, removeOutputs: true };
const clients = { mediaPackage: mediaPackageVod, s3 };

/** The source key's versions, newest first, as ListObjectVersions lists them (plus a longer key sharing the prefix). */
function givenVersions(...ids: string[]): void {
  s3Mock.on(ListObjectVersionsCommand).resolves({
    Versions: [
      ...ids.map((id) => ({ Key: key, VersionId: id })),
      { Key: `${key}.bak`, VersionId: "backup-version" },
    ],
  });
}

beforeEach(() => {
  mediaPackage.reset();
  s3Mock.reset();
  mediaPackage.on(DeleteAsset).resolves({});
  s3Mock.on(ListObjectsV2Command).resolves({ Contents: [] });
  s3Mock.on(DeleteObjectsCommand).resolves({});
});

describe("removeOlderRevisions", () => {
  it("deletes the assets and outputs of the key's older versions only: never this revision, a newer one or another key", async () => {
    // Prepare
    givenVersions("newer-version", versionId, "older-1", "older-2");
    const older1 = `${upload.assetId}/${revisionFor("older-1")}/`;
    s3Mock
      .on(ListObjectsV2Command, { Prefix: older1 })
      .resolves({ Contents: [{ Key: `${older1}hls/index.m3u8` }, { Key: `${older1}cmaf/index.mpd` }] });
    mediaPackage
      .on(DeleteAsset, { Id: `${upload.assetId}-${revisionFor("older-2")}` })
      .rejects(new NotFoundException({ message: "gone", $metadata: { httpStatusCode: 404 } }));

    // Act
    const removed = await removeOlderRevisions(clients, upload, config);

    // Assess
    expect(s3Mock.commandCalls(ListObjectVersionsCommand)[0]!.args[0].input).toEqual({
      Bucket: bucket,
      Prefix: key,
      MaxKeys: 1000,
    });
    expect(mediaPackage.commandCalls(DeleteAsset).map((c) => c.args[0].input.Id)).toEqual([
      `${upload.assetId}-${revisionFor("older-1")}`,
      `${upload.assetId}-${revisionFor("older-2")}`,
    ]);
    expect(removed).toEqual({ assets: [`${upload.assetId}-${revisionFor("older-1")}`], outputObjects: 2 });
    expect(s3Mock.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: OUTPUT_BUCKET,
        Delete: {
          Objects: [{ Key: `${older1}hls/index.m3u8` }, { Key: `${older1}cmaf/index.mpd` }],
          Quiet: true,
        },
      },
    ]);
  });

  it("keeps the outputs when removeSupersededOutputs is off", async () => {
    // Prepare
    givenVersions(versionId, "older-1");

    // Act
    await removeOlderRevisions(clients, upload, { ...config, removeOutputs: false });

    // Assess
    expect(mediaPackage.commandCalls(DeleteAsset)).toHaveLength(1);
    expect(s3Mock.commandCalls(ListObjectsV2Command)).toHaveLength(0);
  });

  it("lets the title publish when removal is refused (AccessDenied), and rethrows a throttled call so the state retries", async () => {
    // Prepare
    givenVersions(versionId, "older-1");
    mediaPackage.on(DeleteAsset).rejects(Object.assign(new Error("denied"), { name: "ForbiddenException" }));

    // Act + Assess
    await expect(removeOlderRevisions(clients, upload, config)).resolves.toEqual({
      assets: [],
      outputObjects: 0,
    });
    s3Mock.on(ListObjectVersionsCommand).rejects(
      new S3ServiceException({
        name: "SlowDown",
        $fault: "server",
        message: "slow",
        $metadata: { httpStatusCode: 503 },
      }),
    );
    await expect(removeOlderRevisions(clients, upload, config)).rejects.toMatchObject({ name: "SlowDown" });
  });
});
