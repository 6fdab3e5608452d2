// First: these tests read the handler's log lines, and Powertools resets to its initial level each invocation.
import "../shared/testing/verbose-logs";
import { ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { clearCaches } from "@aws-lambda-powertools/parameters";
import { mockClient } from "aws-sdk-client-mock";
import { verifySignedCookies, type KeyGroup } from "../../test/edge/signed-cookies";
import { lambdaContextFor } from "../shared/testing/lambda-context";
import { awsDependencies, sessionHandler } from "./api-handler";
import publishedRow from "./events/catalogue-row-published.json";
import { captureLogs, cookieHeader, rsaKeyPair, sessionEvent, testEnv } from "./test-support";

// Cookies are checked by test/edge/signed-cookies.ts (node:crypto, CloudFront's documented algorithm), never by
// @aws-sdk/cloudfront-signer, which made them.
const NOW = 1_780_000_000;
const TITLE_A = "lecture-01-final-3d73618c";
const TITLE_B = "keynote-2026-0f0e0d0c";
const HASH_A = "6644b55df1744261ab3732a8e5cdaf07";
const HASH_B = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";
const CDN = "https://d111111abcdef8.cloudfront.net";

const activeKey = rsaKeyPair();
const nextKey = rsaKeyPair();
const keyGroup: KeyGroup = new Map([
  ["K2ACTIVEKEY000", activeKey.publicKey],
  ["K3NEXTKEY00000", nextKey.publicKey],
]);
const secretFor = (keyPairId: string, privateKey: string) => ({
  SecretString: JSON.stringify({ keyPairId, privateKey }),
});

const rows: Record<string, Record<string, unknown>> = {
  [TITLE_A]: publishedRow,
  [TITLE_B]: {
    ...publishedRow,
    assetId: TITLE_B,
    playback: Object.fromEntries(
      Object.entries(publishedRow.playback).map(([format, url]) => [format, url.replace(HASH_A, HASH_B)]),
    ),
    cmafGroup: Object.fromEntries(
      Object.entries(publishedRow.cmafGroup).map(([format, url]) => [format, url.replace(TITLE_A, TITLE_B)]),
    ),
  },
};

const dynamo = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
let now = NOW;
const handler = sessionHandler(testEnv, { ...awsDependencies(testEnv), now: () => now });
const context = lambdaContextFor("mint-playback-session");
let logs: ReturnType<typeof captureLogs>;

function serveRows(table: Record<string, Record<string, unknown> | undefined>): void {
  dynamo
    .on(GetCommand)
    .callsFake((input: { Key: { assetId: string } }) => ({ Item: table[input.Key.assetId] }));
}

beforeEach(() => {
  now = NOW;
  dynamo.reset();
  secrets.reset();
  clearCaches();
  serveRows(rows);
  secrets.on(GetSecretValueCommand).resolves(secretFor("K2ACTIVEKEY000", activeKey.privateKey));
  logs = captureLogs();
});

afterEach(() => {
  // Every line names the title asked for, and none carries cookie values or key material.
  const raw = logs.raw();
  logs.stop();
  for (const line of raw.split("\n").filter((l) => l.trim() !== "")) {
    expect(JSON.parse(line)).toHaveProperty("assetId");
  }
  expect(raw).not.toMatch(/PRIVATE KEY|MII[A-Za-z0-9+/]{20}/);
  expect(raw).not.toContain("CloudFront-Signature=");
  expect(raw).not.toContain("CloudFront-Policy=");
});

describe("mint-playback-session handler", () => {
  it("mints custom-policy cookies scoped to the title's two paths and returns CDN playback URLs", async () => {
    // Act
    const response = await handler(sessionEvent(TITLE_A), context);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ "cache-control": "no-store", "content-type": "application/json" });
    expect(JSON.parse(response.body!)).toEqual({
      assetId: TITLE_A,
      hls: `${CDN}/out/v1/${HASH_A}/904b06a58c7645e08d57d40d064216ac/f5b2e633ff4942228095d164c10074f3/index.m3u8`,
      dash: `${CDN}/out/v1/${HASH_A}/1e8a0c3b8b4b4e1fa3c6b5c0d2a8e9f1/a2b3c4d5e6f74a8b9c0d1e2f3a4b5c6d/index.mpd`,
      cmaf: `${CDN}/out/v1/${HASH_A}/7d6c5b4a39284f1e8d7c6b5a49382716/0f1e2d3c4b5a49687766554433221100/index.m3u8`,
      cmafGroup: {
        hls: `${CDN}/${TITLE_A}/0a1b2c3d4e5f/cmaf/index.m3u8`,
        dash: `${CDN}/${TITLE_A}/0a1b2c3d4e5f/cmaf/index.mpd`,
      },
      expiresAt: NOW + 300,
      refreshAfterSeconds: 240,
    });
    expect(response.body).not.toContain("mediapackage");
    const cookieSet = (path: string) => {
      const attributes = `; Path=${path}; Secure; HttpOnly; SameSite=Lax`;
      return [
        expect.stringMatching(new RegExp(`^CloudFront-Policy=[A-Za-z0-9~_-]+${escape(attributes)}$`)),
        expect.stringMatching(new RegExp(`^CloudFront-Signature=[A-Za-z0-9~_-]+${escape(attributes)}$`)),
        `CloudFront-Key-Pair-Id=K2ACTIVEKEY000${attributes}`,
      ];
    };
    expect(response.cookies).toEqual([...cookieSet(`/out/v1/${HASH_A}/`), ...cookieSet(`/${TITLE_A}/`)]);
  });

  it("makes cookies CloudFront accepts for every playback URL of the title until DateLessThan", async () => {
    // Prepare
    const response = await handler(sessionEvent(TITLE_A), context);
    const { hls, dash, cmaf } = JSON.parse(response.body!) as Record<string, string>;
    const segment = `${CDN}/out/v1/${HASH_A}/904b06a58c7645e08d57d40d064216ac/f5b2e633ff4942228095d164c10074f3/index_1_00001.ts`;

    // Act
    const verdicts = [hls, dash, cmaf, segment].map((url) =>
      verifySignedCookies(
        { url: url!, cookie: cookieHeader(response, url!), nowEpochSeconds: NOW + 299 },
        keyGroup,
      ),
    );

    // Assess
    for (const verdict of verdicts) {
      expect(verdict).toEqual({
        allowed: true,
        keyPairId: "K2ACTIVEKEY000",
        policy: { kind: "custom", resource: `${CDN}/out/v1/${HASH_A}/*`, dateLessThan: NOW + 300 },
      });
    }
  });

  it("makes cookies CloudFront accepts for the CMAF group and its segments in the output bucket", async () => {
    // Prepare
    const response = await handler(sessionEvent(TITLE_A), context);
    const { cmafGroup } = JSON.parse(response.body!) as { cmafGroup: Record<string, string> };
    const segment = `${CDN}/${TITLE_A}/0a1b2c3d4e5f/cmaf/index_video_1080p_00001.mp4`;
    const poster = `${CDN}/${TITLE_A}/0a1b2c3d4e5f/poster/index_poster.0000001.jpg`;

    // Act
    const verdicts = [cmafGroup.hls!, cmafGroup.dash!, segment, poster].map((url) =>
      verifySignedCookies({ url, cookie: cookieHeader(response, url), nowEpochSeconds: NOW + 299 }, keyGroup),
    );

    // Assess
    for (const verdict of verdicts) {
      expect(verdict).toEqual({
        allowed: true,
        keyPairId: "K2ACTIVEKEY000",
        policy: { kind: "custom", resource: `${CDN}/${TITLE_A}/*`, dateLessThan: NOW + 300 },
      });
    }
  });

  it("refuses a title's bucket cookies on another title's bucket paths", async () => {
    // Prepare
    const titleA = await handler(sessionEvent(TITLE_A), context);
    const other = `${CDN}/${TITLE_B}/0a1b2c3d4e5f/cmaf/index.m3u8`;

    // Act: a browser would not even send them (Path); a client that does is refused by the policy.
    const sent = cookieHeader(titleA, other);
    const forced = verifySignedCookies(
      { url: other, cookie: cookieHeader(titleA, `${CDN}/${TITLE_A}/x`), nowEpochSeconds: NOW + 1 },
      keyGroup,
    );

    // Assess
    expect(sent).toBe("");
    expect(forced).toMatchObject({ allowed: false, reason: "resource-mismatch" });
  });

  it("mints one cookie set for a row published before delivery (egress URLs, no CMAF group), on the CDN host", async () => {
    // Prepare
    const egress = "https://c75ea2668ab49d02bca7ae10ef31c59e.egress.mediapackage-vod.us-east-1.amazonaws.com";
    const { cmafGroup: _none, ...legacy } = publishedRow;
    serveRows({
      [TITLE_A]: {
        ...legacy,
        playback: Object.fromEntries(
          Object.entries(publishedRow.playback).map(([format, url]) => [format, url.replace(CDN, egress)]),
        ),
      },
    });

    // Act
    const response = await handler(sessionEvent(TITLE_A), context);

    // Assess
    const body = JSON.parse(response.body!) as Record<string, unknown>;
    expect(response.statusCode).toBe(200);
    expect(body.hls).toBe(publishedRow.playback.hls);
    expect(body).not.toHaveProperty("cmafGroup");
    expect(response.cookies).toHaveLength(3);
  });

  it("refuses one title's cookies on another title's paths", async () => {
    // Prepare
    const titleA = await handler(sessionEvent(TITLE_A), context);
    const titleB = JSON.parse((await handler(sessionEvent(TITLE_B), context)).body!) as Record<
      string,
      string
    >;

    // Act
    const verdict = verifySignedCookies(
      {
        url: titleB.hls!,
        cookie: cookieHeader(titleA, `${CDN}/out/v1/${HASH_A}/x`),
        nowEpochSeconds: NOW + 1,
      },
      keyGroup,
    );

    // Assess
    expect(titleB.hls).toContain(`/out/v1/${HASH_B}/`);
    expect(verdict).toMatchObject({ allowed: false, reason: "resource-mismatch" });
  });

  it("makes cookies CloudFront refuses from the second the session expires", async () => {
    // Prepare
    const response = await handler(sessionEvent(TITLE_A), context);
    const { hls, expiresAt } = JSON.parse(response.body!) as { hls: string; expiresAt: number };

    // Act
    const verdict = verifySignedCookies(
      { url: hls, cookie: cookieHeader(response, hls), nowEpochSeconds: expiresAt },
      keyGroup,
    );

    // Assess
    expect(verdict).toMatchObject({ allowed: false, reason: "expired" });
  });

  it("keeps both keys' cookies valid across a rotation and refuses a key the group does not hold", async () => {
    // Prepare: a session before the switch, one after (the secret now names the next key), one from a stray key.
    const before = await handler(sessionEvent(TITLE_A), context);
    clearCaches();
    secrets.on(GetSecretValueCommand).resolves(secretFor("K3NEXTKEY00000", nextKey.privateKey));
    const after = await handler(sessionEvent(TITLE_A), context);
    clearCaches();
    secrets.on(GetSecretValueCommand).resolves(secretFor("K9STRAYKEY0000", rsaKeyPair().privateKey));
    const stray = await handler(sessionEvent(TITLE_A), context);
    const url = (JSON.parse(after.body!) as { hls: string }).hls;

    // Act
    const verdicts = [before, after, stray].map((response) =>
      verifySignedCookies({ url, cookie: cookieHeader(response, url), nowEpochSeconds: NOW + 10 }, keyGroup),
    );

    // Assess
    expect(verdicts[0]).toMatchObject({ allowed: true, keyPairId: "K2ACTIVEKEY000" });
    expect(verdicts[1]).toMatchObject({ allowed: true, keyPairId: "K3NEXTKEY00000" });
    expect(verdicts[2]).toMatchObject({ allowed: false, reason: "unknown-key" });
  });

  it("reads the signing key once for many sessions in one container", async () => {
    // Act
    for (let i = 0; i < 5; i += 1) {
      now = NOW + i * 30;
      await handler(sessionEvent(i % 2 === 0 ? TITLE_A : TITLE_B), context);
    }

    // Assess
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: testEnv.SIGNING_KEY_SECRET_ARN,
    });
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 5);
  });

  it("reads only the session's attributes of the row, strongly consistent", async () => {
    // Act
    await handler(sessionEvent(TITLE_A), context);

    // Assess
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: "vod-ingest-catalogue",
      Key: { assetId: TITLE_A },
      ConsistentRead: true,
      ProjectionExpression: "#assetId, #status, #playback, #cmafGroup, #unpublishedAt, #entitlement",
      ExpressionAttributeNames: {
        "#assetId": "assetId",
        "#status": "status",
        "#playback": "playback",
        "#cmafGroup": "cmafGroup",
        "#unpublishedAt": "unpublishedAt",
        "#entitlement": "entitlement",
      },
    });
  });

  it("answers unknown, unpublished and not-yet-published titles with the same 404", async () => {
    // Prepare
    serveRows({
      [TITLE_A]: { ...publishedRow, unpublishedAt: "2026-12-03T08:00:00.000Z" },
      [TITLE_B]: { ...publishedRow, assetId: TITLE_B, status: "PACKAGING" },
    });

    // Act
    const responses = await invokeInTurn(
      [TITLE_A, TITLE_B, "never-uploaded-00000000"].map((id) => sessionEvent(id)),
    );

    // Assess
    for (const response of responses) {
      expect(response).toEqual({
        statusCode: 404,
        headers: { "cache-control": "no-store", "content-type": "application/json" },
        body: JSON.stringify({ message: "No such title." }),
      });
    }
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it("refuses a malformed asset id with 400 before reading the catalogue", async () => {
    // Act
    const responses = await invokeInTurn(
      ["..%2F..%2Fsecret", "a.b", "x".repeat(129), ""].map((id) => sessionEvent(id)),
    );

    // Assess
    expect(responses.map((r) => r.statusCode)).toEqual([400, 400, 400, 400]);
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 0);
  });

  it("answers 401 when the event carries no verified claims", async () => {
    // Act
    const noAuthorizer = await handler(sessionEvent(TITLE_A, null), context);
    const noSubject = await handler(sessionEvent(TITLE_A, { "cognito:groups": "[premium]" }), context);

    // Assess
    expect([noAuthorizer.statusCode, noSubject.statusCode]).toEqual([401, 401]);
    expect(dynamo).toHaveReceivedCommandTimes(GetCommand, 0);
  });

  it("requires the row's entitlement in the viewer's groups, in API Gateway's string form or as an array", async () => {
    // Prepare
    serveRows({ [TITLE_A]: { ...publishedRow, entitlement: "premium" } });
    const viewer = (groups: string | string[] | undefined) => ({
      sub: "aaaaaaaa-bbbb-cccc-dddd-example00001",
      ...(groups === undefined ? {} : { "cognito:groups": groups }),
    });

    // Act
    const responses = await invokeInTurn(
      [viewer("[premium staff]"), viewer(["staff", "premium"]), viewer("[staff]"), viewer(undefined)].map(
        (claims) => sessionEvent(TITLE_A, claims),
      ),
    );
    const statuses = responses.map((response) => response.statusCode);

    // Assess
    expect(statuses).toEqual([200, 200, 403, 403]);
  });

  it("answers 503 with Retry-After when the catalogue read is throttled", async () => {
    // Prepare
    dynamo.on(GetCommand).rejects(
      new ProvisionedThroughputExceededException({
        message: "The level of configured provisioned throughput for the table was exceeded.",
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const response = await handler(sessionEvent(TITLE_A), context);

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ "retry-after": "1", "cache-control": "no-store" });
    expect(logs.lines().at(-1)).toMatchObject({
      level: "ERROR",
      message: "session failed: catalogue read failed",
      assetId: TITLE_A,
      status: 503,
    });
  });

  it("answers 500 and logs the cause when the signing key secret cannot be read", async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).rejects(
      Object.assign(new Error("User is not authorized to perform: secretsmanager:GetSecretValue"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const response = await handler(sessionEvent(TITLE_A), context);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(logs.lines().at(-1)).toMatchObject({
      level: "ERROR",
      message: "session failed: signing key unavailable",
      assetId: TITLE_A,
      cause: expect.stringContaining("AccessDeniedException: User is not authorized"),
    });
  });

  it("answers 503 when Secrets Manager throttles, so the viewer retries", async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).rejects(
      Object.assign(new Error("Rate exceeded"), {
        name: "ThrottlingException",
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const response = await handler(sessionEvent(TITLE_A), context);

    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ "retry-after": "1" });
  });

  it("answers 500 without logging the secret when it holds a bare PEM or misses a field", async () => {
    // Prepare
    const bare = { SecretString: activeKey.privateKey };
    const noId = { SecretString: JSON.stringify({ privateKey: activeKey.privateKey }) };

    // Act
    secrets.on(GetSecretValueCommand).resolves(bare);
    const bareResponse = await handler(sessionEvent(TITLE_A), context);
    clearCaches();
    secrets.on(GetSecretValueCommand).resolves(noId);
    const noIdResponse = await handler(sessionEvent(TITLE_A), context);

    // Assess
    expect([bareResponse.statusCode, noIdResponse.statusCode]).toEqual([500, 500]);
    expect(logs.lines().map((line) => line.cause)).toEqual([
      "SigningKeyUnavailableError: signing key secret is not JSON",
      'SigningKeyUnavailableError: signing key secret must be {"keyPairId","privateKey"}; invalid: keyPairId',
    ]);
  });

  it("answers 500 when the secret's private key is not a usable RSA key, naming the failure but not the key", async () => {
    // Prepare
    const corrupt =
      "-----BEGIN PRIVATE KEY-----\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldY\n-----END PRIVATE KEY-----\n";
    secrets.on(GetSecretValueCommand).resolves(secretFor("K2ACTIVEKEY000", corrupt));

    // Act
    const response = await handler(sessionEvent(TITLE_A), context);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.cookies).toBeUndefined();
    expect(logs.lines().at(-1)).toMatchObject({
      message: "session failed: signing failed (is privateKey an RSA PEM?)",
    });
    expect(logs.raw()).not.toContain("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY");
  });

  it("answers 500 for a published row whose formats do not share one title prefix", async () => {
    // Prepare
    serveRows({
      [TITLE_A]: {
        ...publishedRow,
        playback: { ...publishedRow.playback, dash: (rows[TITLE_B]!.playback as { dash: string }).dash },
      },
    });

    // Act
    const response = await handler(sessionEvent(TITLE_A), context);

    // Assess
    expect(response.statusCode).toBe(500);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
  });

  it("logs one line per outcome with the asset id, the viewer and the scope, and never the cookies", async () => {
    // Act
    const response = await handler(sessionEvent(TITLE_A), context);

    // Assess
    expect(logs.lines()).toEqual([
      expect.objectContaining({
        level: "INFO",
        message: "session minted",
        assetId: TITLE_A,
        viewer: "aaaaaaaa-bbbb-cccc-dddd-example00001",
        scope: `${CDN}/out/v1/${HASH_A}/*`,
        expiresAt: NOW + 300,
        keyPairId: "K2ACTIVEKEY000",
        function_request_id: context.awsRequestId,
      }),
    ]);
    const values = (response.cookies ?? []).map((cookie) => cookie.split(";")[0]!.split("=")[1]!);
    for (const value of values.slice(0, 2)) expect(logs.raw()).not.toContain(value);
  });
});

/** One after another, as Lambda runs them in one container (the logger's per-invocation keys assume it). */
async function invokeInTurn(events: ReturnType<typeof sessionEvent>[]) {
  const responses = [];
  for (const event of events) responses.push(await handler(event, context));
  return responses;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
