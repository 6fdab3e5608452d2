import "./test-env";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { buildViewer } from "../../infra/lib/viewer-bundle";
import { launchChromium } from "./chromium";
import { LoopbackEdge, type SessionFunction } from "./edge";
import { HostedUiStandIn } from "./hosted-ui";
import { testIdentityProvider } from "./jwt";
import { encodeLadder, publishLadder, type TitleMedia } from "./ladder";
import type { SessionRow } from "../../functions/mint-playback-session/mint-playback-session";
import { SessionBackend } from "./session-function";
import { loopbackCertificate } from "./tls";

/**
 * The viewer page in Debian's Chromium, signed in through a Hosted UI stand-in, playing a real CMAF
 * ladder (ffmpeg) through a loopback edge that enforces CloudFront's signed-cookie rules, with the
 * real mint-playback-session handler behind `/auth/*` (catalogue and Secrets Manager mocked).
 * Loopback only; nothing is skipped (missing Chromium or ffmpeg fails the suite).
 */

const CLIENT_ID = "viewerclient0123456789";
const KEY_PAIR_ID = "K2JCJMDEHXQW5F";
/** MediaPackage-shaped 32-hex asset hashes: one per title with media. */
const HASH = { talk: "6644b55df1744261ab3732a8e5cdaf07", lecture: "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0" };
const CLIP_SECONDS = 16;
/** A cookie lifetime short enough to expire within a test. */
const SHORT_TTL_SECONDS = 4;

const TALK = "talks-lecture-01-final-1a2b3c4d";
const LECTURE = "lectures-physics-101-5e6f7a8b";
const DRAFT = "drafts-rough-cut-9c0d1e2f";
const WITHDRAWN = "talks-old-keynote-3e4f5a6b";
const PREMIUM = "films-premiere-7c8d9e0f";

let workDir: string;
let edge: LoopbackEdge;
let hostedUi: HostedUiStandIn;
let backend: SessionBackend;
let browser: { context: BrowserContext; close(): Promise<void> };
let standardSession: SessionFunction;
let shortSession: SessionFunction;
const media = {} as Record<keyof typeof HASH, TitleMedia>;

const EGRESS = "https://c75ea2668ab49d02bca7ae10ef31c59e.egress.mediapackage-vod.us-east-1.amazonaws.com";
/** A catalogue row as register-asset leaves it: MediaPackage egress URLs, which the function rewrites to the CDN. */
function row(assetId: string, at: TitleMedia, extra: Partial<SessionRow> = {}): SessionRow {
  return {
    assetId,
    status: "PUBLISHED",
    playback: { hls: EGRESS + at.hlsPath, dash: EGRESS + at.dashPath, cmaf: EGRESS + at.hlsPath },
    ...extra,
  };
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "vod-browser-"));
  const encoded = join(workDir, "encoded");
  encodeLadder(encoded, CLIP_SECONDS);
  const mediaRoot = join(workDir, "edge");
  media.talk = publishLadder(encoded, mediaRoot, HASH.talk);
  media.lecture = publishLadder(encoded, mediaRoot, HASH.lecture);
  const elsewhere: TitleMedia = {
    pathPrefix: "/out/v1/dddddddddddddddddddddddddddddddd/",
    hlsPath: "/out/v1/dddddddddddddddddddddddddddddddd/cc/ee/index.m3u8",
    dashPath: "/out/v1/dddddddddddddddddddddddddddddddd/cc/ee/index.mpd",
  };

  const signingKey = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  backend = new SessionBackend(
    [
      row(TALK, media.talk),
      row(LECTURE, media.lecture),
      row(DRAFT, elsewhere, { status: "PACKAGING" }),
      row(WITHDRAWN, elsewhere, { unpublishedAt: "2026-11-30T12:00:00.000Z" }),
      row(PREMIUM, elsewhere, { entitlement: "premium" }),
    ],
    { keyPairId: KEY_PAIR_ID, privateKey: signingKey.privateKey },
  );
  const tls = loopbackCertificate();
  const idp = testIdentityProvider(
    "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example",
    CLIENT_ID,
  );
  edge = await LoopbackEdge.start({
    tls,
    mediaRoot,
    viewerFiles: buildViewer(),
    keyGroup: new Map([[KEY_PAIR_ID, signingKey.publicKey]]),
    authorizer: idp.authorizer,
  });
  standardSession = backend.sessionFunction(edge.baseUrl, 300);
  shortSession = backend.sessionFunction(edge.baseUrl, SHORT_TTL_SECONDS);
  hostedUi = await HostedUiStandIn.start({
    tls,
    issuer: idp.issuer,
    clientId: CLIENT_ID,
    callbackUrls: () => [edge.viewerUrl()],
    allowedOrigin: () => edge.baseUrl,
  });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await edge?.stop();
  await hostedUi?.stop();
  backend?.restore();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await browser.context.clearCookies();
  edge.resetLogs();
  edge.session = standardSession;
  edge.stripSetCookie = false;
  edge.config = signedInConfig();
  hostedUi.viewer = { sub: "viewer-1", groups: [] };
  backend.catalogueReads.length = 0;
});

function signedInConfig(): LoopbackEdge["config"] {
  return {
    authDomain: hostedUi.baseUrl,
    clientId: CLIENT_ID,
    redirectUri: edge.viewerUrl(),
    sessionPath: "/auth/v1/{assetId}/session",
  };
}

async function openViewer(query: Record<string, string>): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(edge.viewerUrl(query));
  return page;
}

async function playheadPasses(page: Page, seconds: number, timeoutMs = 20_000): Promise<number> {
  // Evaluated in the page (a string, so this Node.js file needs no DOM types).
  await page.waitForFunction(`document.getElementById("video").currentTime > ${seconds}`, undefined, {
    timeout: timeoutMs,
    polling: 100,
  });
  return page.locator("#video").evaluate((video: { currentTime: number }) => video.currentTime);
}

async function messageShown(page: Page, code: string, timeoutMs = 20_000): Promise<string> {
  const box = await page.waitForSelector(`#message[data-code="${code}"]`, { timeout: timeoutMs });
  return (await box.textContent()) ?? "";
}

describe("viewer page in Chromium behind the loopback edge", () => {
  it.each(["hls", "dash"])("plays a published title with %s after signing in with PKCE", async (player) => {
    // Prepare
    const page = await openViewer({ asset: TALK, player });

    // Act
    const playhead = await playheadPasses(page, 3);

    // Assess
    expect(playhead).toBeGreaterThan(3);
    expect(hostedUi.redemptions).toContainEqual({ grant: "authorization_code", ok: true });
    expect(edge.sessions[0]).toMatchObject({ path: `/auth/v1/${TALK}/session`, status: 200 });
    const manifest = player === "dash" ? media.talk.dashPath : media.talk.hlsPath;
    expect(edge.media[0]).toMatchObject({ path: manifest, status: 200 });
    expect(edge.media.filter((r) => r.status !== 200)).toEqual([]);
    expect(edge.media.every((r) => r.path.startsWith(media.talk.pathPrefix))).toBe(true);
    await page.close();
  });

  it("is refused by the edge without cookies (the auth behavior dropped Set-Cookie) and says so", async () => {
    // Prepare
    edge.stripSetCookie = true;
    const page = await openViewer({ asset: TALK, player: "hls" });

    // Act
    const text = await messageShown(page, "edge-refused");

    // Assess
    expect(text).toContain("403");
    expect(edge.sessions).toEqual([expect.objectContaining({ status: 200 })]);
    expect(edge.media[0]).toMatchObject({ path: media.talk.hlsPath, status: 403, reason: "missing-cookie" });
    expect(edge.media.some((r) => r.status === 200)).toBe(false);
    await page.close();
  });

  it("is refused by the edge with another title's cookies", async () => {
    // Prepare: the viewer holds the talk's cookies, copied to cover every title's path, and opens the lecture.
    edge.session = async (event, context) => {
      const lecture = await standardSession(event, context);
      const talkEvent = { ...event, pathParameters: { assetId: TALK }, rawPath: `/auth/v1/${TALK}/session` };
      const talk = await standardSession(talkEvent, context);
      if (typeof lecture === "string" || typeof talk === "string")
        throw new Error("unexpected string result");
      const cookies = (talk.cookies ?? []).map((c) => c.replace(/Path=[^;]+/, "Path=/out/v1/"));
      return { ...lecture, cookies };
    };
    const page = await openViewer({ asset: LECTURE, player: "dash" });

    // Act
    const text = await messageShown(page, "edge-refused");

    // Assess
    expect(text).toContain("403");
    expect(edge.media[0]).toMatchObject({
      path: media.lecture.dashPath,
      status: 403,
      reason: "resource-mismatch",
    });
    expect(edge.media.some((r) => r.status === 200)).toBe(false);
    await page.close();
  });

  it("is refused by the edge once the cookies expire and the session cannot be refreshed", async () => {
    // Prepare: four-second cookies; every refresh after the first session fails (the API is down).
    let calls = 0;
    edge.session = async (event, context) =>
      ++calls === 1
        ? shortSession(event, context)
        : {
            statusCode: 503,
            headers: { "content-type": "application/json" },
            body: '{"message":"Service Unavailable"}',
          };
    edge.config = { ...signedInConfig(), bufferAheadSeconds: 4 };
    const page = await openViewer({ asset: TALK, player: "hls" });

    // Act
    await playheadPasses(page, 1);
    const text = await messageShown(page, "edge-refused", 25_000);

    // Assess
    expect(text).toContain("403");
    const refused = edge.media.filter((r) => r.status === 403);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.reason === "expired")).toBe(true);
    expect(calls).toBeGreaterThan(1);
    await page.close();
  });

  it.each([
    ["a title not yet published", DRAFT],
    ["an unpublished title", WITHDRAWN],
  ])("answers 404 for %s, shows it, and requests no media", async (_title, assetId) => {
    // Prepare
    const page = await openViewer({ asset: assetId, player: "hls" });

    // Act
    const text = await messageShown(page, "not-found");

    // Assess
    expect(text).toContain("404");
    expect(edge.sessions).toEqual([
      expect.objectContaining({ path: `/auth/v1/${assetId}/session`, status: 404 }),
    ]);
    expect(backend.catalogueReads).toContain(assetId);
    expect(edge.media).toEqual([]);
    await page.close();
  });

  it("answers 403 for a title restricted to a group the viewer is not in", async () => {
    // Prepare
    hostedUi.viewer = { sub: "viewer-2", groups: ["standard"] };
    const page = await openViewer({ asset: PREMIUM, player: "dash" });

    // Act
    const text = await messageShown(page, "not-entitled");

    // Assess
    expect(text).toContain("403");
    expect(edge.sessions).toEqual([expect.objectContaining({ status: 403 })]);
    expect(edge.media).toEqual([]);
    await page.close();
  });

  it("answers 401 when the viewer has no token, and offers to sign in", async () => {
    // Prepare: a page with no Hosted UI configured sends no Authorization header.
    edge.config = { sessionPath: "/auth/v1/{assetId}/session" };
    const page = await openViewer({ asset: TALK, player: "hls" });

    // Act
    const text = await messageShown(page, "signed-out");

    // Assess
    expect(text).toContain("401");
    expect(await page.isVisible("#sign-in")).toBe(true);
    expect(edge.sessions).toEqual([expect.objectContaining({ status: 401 })]);
    expect(edge.media).toEqual([]);
    await page.close();
  });

  it("keeps playing past the first cookies' expiry by refreshing the session", async () => {
    // Prepare: four-second cookies (refreshAfterSeconds 3) and a four-second forward buffer, so
    // segments are fetched throughout and many of them after the first cookies expired.
    edge.session = shortSession;
    edge.config = { ...signedInConfig(), bufferAheadSeconds: 4 };
    const page = await openViewer({ asset: TALK, player: "hls" });

    // Act
    const playhead = await playheadPasses(page, 3 * SHORT_TTL_SECONDS, 30_000);

    // Assess
    expect(playhead).toBeGreaterThan(3 * SHORT_TTL_SECONDS);
    const firstExpiry = Math.min(
      ...edge.media.flatMap((r) => (r.dateLessThan === undefined ? [] : [r.dateLessThan])),
    );
    const afterExpiry = edge.media.filter((r) => r.at >= firstExpiry);
    expect(afterExpiry.length).toBeGreaterThan(0);
    expect(afterExpiry.every((r) => r.status === 200 && r.dateLessThan! > firstExpiry)).toBe(true);
    expect(edge.media.filter((r) => r.status !== 200)).toEqual([]);
    expect(edge.sessions.length).toBeGreaterThanOrEqual(3);
    expect(edge.sessions.every((s) => s.status === 200)).toBe(true);
    await page.close();
  });
});
