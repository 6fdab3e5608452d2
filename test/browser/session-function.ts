// INTERIM until C1's functions/mint-playback-session lands: same contract, same signer.
import { getSignedCookies } from "@aws-sdk/cloudfront-signer";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { SessionFunction } from "./edge";

export interface Title {
  readonly assetId: string;
  readonly status: string;
  readonly playback: { hls: string; dash: string; cmaf: string };
}

export function sessionFunction(options: {
  titles: readonly Title[];
  cdnBaseUrl: () => string;
  ttlSeconds: number;
  key: { keyPairId: string; privateKey: string };
}): SessionFunction {
  return async (event): Promise<APIGatewayProxyStructuredResultV2> => {
    const assetId = event.pathParameters?.assetId ?? "";
    const row = options.titles.find((t) => t.assetId === assetId);
    if (row === undefined || row.status !== "PUBLISHED") {
      return {
        statusCode: 404,
        headers: { "content-type": "application/json" },
        body: '{"message":"No such title."}',
      };
    }
    const url = new URL(row.playback.hls);
    const prefix = url.pathname.split("/").slice(0, 4).join("/") + "/";
    const base = options.cdnBaseUrl();
    const expiresAt = Math.floor(Date.now() / 1000) + options.ttlSeconds;
    const signed = getSignedCookies({
      policy: JSON.stringify({
        Statement: [
          { Resource: `${base}${prefix}*`, Condition: { DateLessThan: { "AWS:EpochTime": expiresAt } } },
        ],
      }),
      keyPairId: options.key.keyPairId,
      privateKey: options.key.privateKey,
    });
    const attributes = `Path=${prefix}; Secure; HttpOnly; SameSite=Lax`;
    return {
      statusCode: 200,
      headers: { "cache-control": "no-store", "content-type": "application/json" },
      cookies: (["CloudFront-Policy", "CloudFront-Signature", "CloudFront-Key-Pair-Id"] as const).map(
        (name) => `${name}=${signed[name]}; ${attributes}`,
      ),
      body: JSON.stringify({
        assetId,
        hls: base + new URL(row.playback.hls).pathname,
        dash: base + new URL(row.playback.dash).pathname,
        cmaf: base + new URL(row.playback.cmaf).pathname,
        expiresAt,
        refreshAfterSeconds: Math.floor(options.ttlSeconds * 0.8),
      }),
    };
  };
}
