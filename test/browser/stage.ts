import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { SessionRow } from "../../functions/mint-playback-session/mint-playback-session";
import { buildViewer } from "../../infra/lib/viewer-bundle";
import type { ViewerConfig } from "../../infra/viewer/src/config";
import { launchChromium } from "./chromium";
import { LoopbackEdge, type SessionFunction } from "./edge";
import { HostedUiStandIn } from "./hosted-ui";
import { testIdentityProvider } from "./jwt";
import {
  encodeLadder,
  publishCmafGroup,
  publishLadder,
  type CmafGroupMedia,
  type TitleMedia,
} from "./ladder";
import { SessionBackend } from "./session-function";
import { loopbackCertificate } from "./tls";

/** The catalogue the stage serves: two published titles with media, and three that must not play. */
export const TITLES = {
  /** Published, any signed-in viewer. */
  talk: "talks-lecture-01-final-1a2b3c4d",
  /** Published, any signed-in viewer (another title's cookie scope). */
  lecture: "lectures-physics-101-5e6f7a8b",
  /** Still packaging. */
  draft: "drafts-rough-cut-9c0d1e2f",
  /** Published, then unpublished by an operator (`unpublishedAt`). */
  withdrawn: "talks-old-keynote-3e4f5a6b",
  /** Published for viewers in the `premium` group only. */
  premium: "films-premiere-7c8d9e0f",
} as const;

const CLIENT_ID = "viewerclient0123456789";
const KEY_PAIR_ID = "K2JCJMDEHXQW5F";
const ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example";
/** MediaPackage-shaped 32-hex asset hashes (DELIVERY.md section 1). */
const HASH = { talk: "6644b55df1744261ab3732a8e5cdaf07", lecture: "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0" };
/** The revision whose CMAF group the talk's row lists. */
const REVISION = "0a1b2c3d4e5f";

export interface PlaybackStage {
  readonly edge: LoopbackEdge;
  readonly hostedUi: HostedUiStandIn;
  readonly backend: SessionBackend;
  readonly context: BrowserContext;
  readonly media: Record<"talk" | "lecture", TitleMedia>;
  /** The talk's CMAF group at its output-bucket path. */
  readonly talkCmafGroup: CmafGroupMedia;
  /** The deployed handler with 300 s cookies. */
  readonly standardSession: SessionFunction;
  /** The same handler with `shortTtlSeconds` cookies. */
  readonly shortSession: SessionFunction;
  /** The config.json a stack with a Cognito pool writes. */
  signedInConfig(): ViewerConfig;
  /** Opens the viewer page in a new tab. */
  openViewer(query?: Record<string, string>): Promise<Page>;
  /** Back to the defaults between scenarios: no cookies, empty logs, standard session, default viewer. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Everything the browser test and the playback bench run against, on loopback: a real CMAF ladder
 * (ffmpeg) for two titles, the real session handler over a mocked catalogue and secret, the
 * loopback edge, the Hosted UI stand-in, and Debian Chromium with a fresh profile.
 */
export async function startPlaybackStage(options: {
  clipSeconds: number;
  shortTtlSeconds: number;
}): Promise<PlaybackStage> {
  const workDir = mkdtempSync(join(tmpdir(), "vod-browser-"));
  const cleanups: (() => unknown)[] = [() => rmSync(workDir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const encoded = join(workDir, "encoded");
    encodeLadder(encoded, options.clipSeconds);
    const mediaRoot = join(workDir, "edge");
    const media = {
      talk: publishLadder(encoded, mediaRoot, HASH.talk),
      lecture: publishLadder(encoded, mediaRoot, HASH.lecture),
    };
    const talkCmafGroup = publishCmafGroup(encoded, mediaRoot, TITLES.talk, REVISION);
    const nowhere =
      "/out/v1/dddddddddddddddddddddddddddddddd/cccccccccccccccccccccccccccccccc/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    const elsewhere: TitleMedia = {
      pathPrefix: "/out/v1/dddddddddddddddddddddddddddddddd/",
      hlsPath: `${nowhere}/index.m3u8`,
      dashPath: `${nowhere}/index.mpd`,
    };
    const signingKey = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const tls = loopbackCertificate();
    const idp = testIdentityProvider(ISSUER, CLIENT_ID);
    const edge = await LoopbackEdge.start({
      tls,
      mediaRoot,
      viewerFiles: buildViewer(),
      keyGroup: new Map([[KEY_PAIR_ID, signingKey.publicKey]]),
      authorizer: idp.authorizer,
    });
    cleanups.push(() => edge.stop());
    // As Publish leaves a row: CDN URLs (the edge is the distribution), and the CMAF group where listed.
    const cdn = (path: string) => `${edge.baseUrl}${path}`;
    const row = (
      assetId: string,
      at: TitleMedia,
      extra: Partial<SessionRow> = {},
      group?: CmafGroupMedia,
    ): SessionRow => ({
      assetId,
      status: "PUBLISHED",
      playback: { hls: cdn(at.hlsPath), dash: cdn(at.dashPath), cmaf: cdn(at.hlsPath) },
      ...(group && { cmafGroup: { hls: cdn(group.hlsPath), dash: cdn(group.dashPath) } }),
      ...extra,
    });
    const backend = new SessionBackend(
      [
        row(TITLES.talk, media.talk, {}, talkCmafGroup),
        row(TITLES.lecture, media.lecture),
        row(TITLES.draft, elsewhere, { status: "PACKAGING" }),
        row(TITLES.withdrawn, elsewhere, { unpublishedAt: "2026-11-30T12:00:00.000Z" }),
        row(TITLES.premium, elsewhere, { entitlement: "premium" }),
      ],
      { keyPairId: KEY_PAIR_ID, privateKey: signingKey.privateKey },
    );
    cleanups.push(() => backend.restore());
    const hostedUi = await HostedUiStandIn.start({
      tls,
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      callbackUrls: () => [edge.viewerUrl()],
      allowedOrigin: () => edge.baseUrl,
    });
    cleanups.push(() => hostedUi.stop());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());

    const standardSession = backend.sessionFunction(edge.baseUrl, 300);
    const signedInConfig = (): ViewerConfig => ({
      authDomain: hostedUi.baseUrl,
      clientId: CLIENT_ID,
      redirectUri: edge.viewerUrl(),
      sessionPath: "/auth/v1/{assetId}/session",
    });
    const stage: PlaybackStage = {
      edge,
      hostedUi,
      backend,
      context: browser.context,
      media,
      talkCmafGroup,
      standardSession,
      shortSession: backend.sessionFunction(edge.baseUrl, options.shortTtlSeconds),
      signedInConfig,
      async openViewer(query = {}) {
        const page = await browser.context.newPage();
        await page.goto(edge.viewerUrl(query));
        return page;
      },
      async reset() {
        await browser.context.clearCookies();
        edge.resetLogs();
        edge.session = standardSession;
        edge.stripSetCookie = false;
        edge.config = signedInConfig();
        hostedUi.viewer = { sub: "viewer-1", groups: [] };
        backend.catalogueReads.length = 0;
      },
      stop,
    };
    await stage.reset();
    return stage;
  } catch (error) {
    await stop();
    throw error;
  }
}
