import {
  CreateAssetCommand,
  DeleteAssetCommand,
  DescribeAssetCommand,
  ListAssetsCommand,
  type DeleteAssetCommandInput,
  type DeleteAssetCommandOutput,
  type ListAssetsCommandInput,
  type ListAssetsCommandOutput,
  MediaPackageVodClient,
  type CreateAssetCommandInput,
  type CreateAssetCommandOutput,
  type DescribeAssetCommandInput,
  type DescribeAssetCommandOutput,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from "@aws-sdk/client-mediapackage-vod";
import type { Context } from "aws-lambda";
import { mockClient, type AwsCommand } from "aws-sdk-client-mock";
import type { RegisterAssetConfig } from "./config";
import type { WaitOptions } from "./register-asset";
import { lambdaContextFor } from "../shared/testing/lambda-context";

/** CloudFront's default host shape (the distribution's `domainName`). */
export const CDN_BASE_URL = "https://d111111abcdef8.cloudfront.net";

/** The deployment the register-asset tests run against (ids match events/*.json). */
export const testConfig: RegisterAssetConfig = {
  catalogueTable: "vod-ingest-catalogue",
  packagingGroupId: "vod-ingest-packaging",
  packagingRoleArn: "arn:aws:iam::123456789012:role/vod-ingest-packaging-role",
  partition: "aws",
  packagingSource: "hls-ts",
  packagingConfigurations: { hls: "vod-ingest-hls", dash: "vod-ingest-dash", cmaf: "vod-ingest-cmaf" },
  cdnBaseUrl: CDN_BASE_URL,
  outputBucket: "vod-output-123456789012",
  removeSupersededOutputs: true,
  packagingAssetQuota: 10_000,
};

/**
 * A Lambda context whose clock only moves when the injected sleep is called, so polling tests are instant and
 * deterministic. `remainingMs` is the time left when the invocation starts.
 */
export function fakeClock(remainingMs: number): { context: Context; wait: WaitOptions; sleeps: number[] } {
  let left = remainingMs;
  const sleeps: number[] = [];
  const context = lambdaContextFor("register-asset", () => left);
  const wait: WaitOptions = {
    pollIntervalMs: 5_000,
    safetyMarginMs: 15_000,
    sleep: async (ms) => {
      sleeps.push(ms);
      left -= ms;
    },
    // The invocation starts a minute after the fixtures' asset was created (events/*.json CreatedAt).
    now: () => Date.parse("2024-06-01T10:16:30Z") + (remainingMs - left),
  };
  return { context, wait, sleeps };
}

/*
 * The newest @aws-sdk/client-mediapackage-vod on npm is 3.624.0, built on @smithy/types 3.x; the other clients
 * and aws-sdk-client-mock's declarations use @smithy/types 4.x. At runtime the mock works unchanged (it stubs
 * `send`); only the declarations disagree, so the MediaPackage stub and its commands are re-typed here, once.
 */
type MockableCommand<I extends object, O extends ServiceOutputTypes> = new (input: I) => AwsCommand<I, O>;

/** aws-sdk-client-mock stub of every MediaPackageVodClient (reset it in beforeEach). */
export function mockMediaPackage() {
  return mockClient<ServiceInputTypes, ServiceOutputTypes, object>(MediaPackageVodClient as never);
}
export const CreateAsset = CreateAssetCommand as unknown as MockableCommand<
  CreateAssetCommandInput,
  CreateAssetCommandOutput
>;
export const DescribeAsset = DescribeAssetCommand as unknown as MockableCommand<
  DescribeAssetCommandInput,
  DescribeAssetCommandOutput
>;
export const DeleteAsset = DeleteAssetCommand as unknown as MockableCommand<
  DeleteAssetCommandInput,
  DeleteAssetCommandOutput
>;
export const ListAssets = ListAssetsCommand as unknown as MockableCommand<
  ListAssetsCommandInput,
  ListAssetsCommandOutput
>;
