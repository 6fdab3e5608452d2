import "./test-env";
import type { Page } from "playwright-core";
import { startPlaybackStage, TITLES, type PlaybackStage } from "./stage";

/**
 * The viewer page in Debian's Chromium, signed in through a Hosted UI stand-in, playing a real CMAF
 * ladder (ffmpeg) through a loopback stage.edge that enforces CloudFront's signed-cookie rules, with the
 * real mint-playback-session handler behind `/auth/*` (catalogue and Secrets Manager mocked).
 * Loopback only; nothing is skipped (missing Chromium or ffmpeg fails the suite).
 */

/** Long enough to play past three short cookie lifetimes. */
const CLIP_SECONDS = 16;
/** A cookie lifetime short enough to expire within a test. */
const SHORT_TTL_SECONDS = 4;
const { talk: TALK, lecture: LECTURE, draft: DRAFT, withdrawn: WITHDRAWN, premium: PREMIUM } = TITLES;

let stage: PlaybackStage;

beforeAll(async () => {
  stage = await startPlaybackStage({ clipSeconds: CLIP_SECONDS, shortTtlSeconds: SHORT_TTL_SECONDS });
}, 90_000);

afterAll(async () => {
  await stage?.stop();
});

beforeEach(async () => {
  await stage.reset();
});

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
    const page = await stage.openViewer({ asset: TALK, player });

    // Act
    const playhead = await playheadPasses(page, 3);

    // Assess
    expect(playhead).toBeGreaterThan(3);
    expect(stage.hostedUi.redemptions).toContainEqual({ grant: "authorization_code", ok: true });
    expect(stage.edge.sessions[0]).toMatchObject({ path: `/auth/v1/${TALK}/session`, status: 200 });
    const manifest = player === "dash" ? stage.media.talk.dashPath : stage.media.talk.hlsPath;
    expect(stage.edge.media[0]).toMatchObject({ path: manifest, status: 200 });
    expect(stage.edge.media.filter((r) => r.status !== 200)).toEqual([]);
    expect(stage.edge.media.every((r) => r.path.startsWith(stage.media.talk.pathPrefix))).toBe(true);
    await page.close();
  });

  it.each(["hls", "dash"])(
    "plays the CMAF group straight from the output bucket with %s, on the session's second cookie set",
    async (player) => {
      // Prepare
      const page = await stage.openViewer({ asset: TALK, player, source: "cmaf-group" });

      // Act
      const playhead = await playheadPasses(page, 3);

      // Assess
      expect(playhead).toBeGreaterThan(3);
      const group = stage.talkCmafGroup;
      expect(stage.edge.media[0]).toMatchObject({
        path: player === "dash" ? group.dashPath : group.hlsPath,
        status: 200,
      });
      expect(stage.edge.media.filter((r) => r.status !== 200)).toEqual([]);
      expect(stage.edge.media.every((r) => r.path.startsWith(group.pathPrefix))).toBe(true);
      // Both sets are stored, each host-only and scoped to its own prefix.
      const paths = (await stage.context.cookies()).map((c) => `${c.name} ${c.path}`).sort();
      expect(paths).toEqual(
        ["CloudFront-Key-Pair-Id", "CloudFront-Policy", "CloudFront-Signature"]
          .flatMap((name) => [`${name} ${group.pathPrefix}`, `${name} ${stage.media.talk.pathPrefix}`])
          .sort(),
      );
      await page.close();
    },
  );

  it("is refused by the edge without cookies (the auth behavior dropped Set-Cookie) and says so", async () => {
    // Prepare
    stage.edge.stripSetCookie = true;
    const page = await stage.openViewer({ asset: TALK, player: "hls" });

    // Act
    const text = await messageShown(page, "edge-refused");

    // Assess
    expect(text).toContain("403");
    expect(stage.edge.sessions).toEqual([expect.objectContaining({ status: 200 })]);
    expect(stage.edge.media[0]).toMatchObject({
      path: stage.media.talk.hlsPath,
      status: 403,
      reason: "missing-cookie",
    });
    expect(stage.edge.media.some((r) => r.status === 200)).toBe(false);
    await page.close();
  });

  it("is refused by the edge with another title's cookies", async () => {
    // Prepare: the viewer holds the talk's cookies, copied to cover every title's path, and opens the lecture.
    stage.edge.session = async (event, context) => {
      const lecture = await stage.standardSession(event, context);
      const talkEvent = { ...event, pathParameters: { assetId: TALK }, rawPath: `/auth/v1/${TALK}/session` };
      const talk = await stage.standardSession(talkEvent, context);
      if (typeof lecture === "string" || typeof talk === "string")
        throw new Error("unexpected string result");
      const cookies = (talk.cookies ?? []).map((c) => c.replace(/Path=[^;]+/, "Path=/out/v1/"));
      return { ...lecture, cookies };
    };
    const page = await stage.openViewer({ asset: LECTURE, player: "dash" });

    // Act
    const text = await messageShown(page, "edge-refused");

    // Assess
    expect(text).toContain("403");
    expect(stage.edge.media[0]).toMatchObject({
      path: stage.media.lecture.dashPath,
      status: 403,
      reason: "resource-mismatch",
    });
    expect(stage.edge.media.some((r) => r.status === 200)).toBe(false);
    await page.close();
  });

  it("is refused by the edge once the cookies expire and the session cannot be refreshed", async () => {
    // Prepare: four-second cookies; every refresh after the first session fails (the API is down).
    let calls = 0;
    stage.edge.session = async (event, context) =>
      ++calls === 1
        ? stage.shortSession(event, context)
        : {
            statusCode: 503,
            headers: { "content-type": "application/json" },
            body: '{"message":"Service Unavailable"}',
          };
    stage.edge.config = { ...stage.signedInConfig(), bufferAheadSeconds: 4 };
    const page = await stage.openViewer({ asset: TALK, player: "hls" });

    // Act
    await playheadPasses(page, 1);
    const text = await messageShown(page, "edge-refused", 25_000);

    // Assess
    expect(text).toContain("403");
    const refused = stage.edge.media.filter((r) => r.status === 403);
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
    const page = await stage.openViewer({ asset: assetId, player: "hls" });

    // Act
    const text = await messageShown(page, "not-found");

    // Assess
    expect(text).toContain("404");
    expect(stage.edge.sessions).toEqual([
      expect.objectContaining({ path: `/auth/v1/${assetId}/session`, status: 404 }),
    ]);
    expect(stage.backend.catalogueReads).toContain(assetId);
    expect(stage.edge.media).toEqual([]);
    await page.close();
  });

  it("answers 403 for a title restricted to a group the viewer is not in", async () => {
    // Prepare
    stage.hostedUi.viewer = { sub: "viewer-2", groups: ["standard"] };
    const page = await stage.openViewer({ asset: PREMIUM, player: "dash" });

    // Act
    const text = await messageShown(page, "not-entitled");

    // Assess
    expect(text).toContain("403");
    expect(stage.edge.sessions).toEqual([expect.objectContaining({ status: 403 })]);
    expect(stage.edge.media).toEqual([]);
    await page.close();
  });

  it("answers 401 when the viewer has no token, and offers to sign in", async () => {
    // Prepare: a page with no Hosted UI configured sends no Authorization header.
    stage.edge.config = { sessionPath: "/auth/v1/{assetId}/session" };
    const page = await stage.openViewer({ asset: TALK, player: "hls" });

    // Act
    const text = await messageShown(page, "signed-out");

    // Assess
    expect(text).toContain("401");
    expect(await page.isVisible("#sign-in")).toBe(true);
    expect(stage.edge.sessions).toEqual([expect.objectContaining({ status: 401 })]);
    expect(stage.edge.media).toEqual([]);
    await page.close();
  });

  it("keeps playing past the first cookies' expiry by refreshing the session", async () => {
    // Prepare: four-second cookies (refreshAfterSeconds 3) and a four-second forward buffer, so
    // segments are fetched throughout and many of them after the first cookies expired.
    stage.edge.session = stage.shortSession;
    stage.edge.config = { ...stage.signedInConfig(), bufferAheadSeconds: 4 };
    const page = await stage.openViewer({ asset: TALK, player: "hls" });

    // Act
    const playhead = await playheadPasses(page, 3 * SHORT_TTL_SECONDS, 30_000);

    // Assess
    expect(playhead).toBeGreaterThan(3 * SHORT_TTL_SECONDS);
    const firstExpiry = Math.min(
      ...stage.edge.media.flatMap((r) => (r.dateLessThan === undefined ? [] : [r.dateLessThan])),
    );
    const afterExpiry = stage.edge.media.filter((r) => r.at >= firstExpiry);
    expect(afterExpiry.length).toBeGreaterThan(0);
    expect(afterExpiry.every((r) => r.status === 200 && r.dateLessThan! > firstExpiry)).toBe(true);
    expect(stage.edge.media.filter((r) => r.status !== 200)).toEqual([]);
    expect(stage.edge.sessions.length).toBeGreaterThanOrEqual(3);
    expect(stage.edge.sessions.every((s) => s.status === 200)).toBe(true);
    await page.close();
  });
});
