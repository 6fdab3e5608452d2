import "../browser/test-env";
import { performance } from "node:perf_hooks";
import { clearCaches } from "@aws-lambda-powertools/parameters";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import type { Page, Request } from "playwright-core";
import { lambdaContextFor } from "../../functions/shared/testing/lambda-context";
import { startPlaybackStage, TITLES, type PlaybackStage } from "../browser/stage";

/**
 * Playback benchmark (issue 11): on the browser test's loopback stage (real ladder, real session
 * handler, CloudFront cookie rules, Debian Chromium), what it costs from "press play" to the first
 * frame (the video's `playing` event): requests and bytes over the network by kind, the session
 * mint as the page saw it, and the time. "cold" = empty browser cache (the player chunk is
 * downloaded); "warm" = the page and player cached, as for a viewer's second title ("player" =
 * the viewer's player chunk, hashed and immutable). Then the
 * session handler alone, in process, over the mocked catalogue and secret.
 *
 * Usage: npm run bench:playback [-- --runs 3 --mints 200]
 * Loopback timings on a shared 2-core machine: compare runs, not absolute numbers.
 */

interface Run {
  readonly player: "hls" | "dash";
  readonly cache: "cold" | "warm";
  readonly requests: Record<Kind, { count: number; bytes: number }>;
  readonly mintMs: number;
  readonly toPlayingMs: number;
}

type Kind = "player" | "session" | "manifest" | "segment";

function kindOf(url: string): Kind {
  const path = new URL(url).pathname;
  if (path.startsWith("/auth/")) return "session";
  if (path.startsWith("/viewer/")) return "player";
  return /\.(m3u8|mpd)$/.test(path) ? "manifest" : "segment";
}

async function pressPlay(
  stage: PlaybackStage,
  page: Page,
  player: "hls" | "dash",
  cache: "cold" | "warm",
): Promise<Run> {
  // The same tab keeps the signed-in token (sessionStorage); a reload shows the empty page.
  await page.goto(stage.edge.viewerUrl());
  await page.waitForFunction(`document.body.dataset.state === "idle"`);
  if (cache === "cold") {
    const cdp = await stage.context.newCDPSession(page);
    await cdp.send("Network.clearBrowserCache");
    await cdp.detach();
  }
  await stage.context.clearCookies();
  const requests: Record<Kind, { count: number; bytes: number }> = {
    player: { count: 0, bytes: 0 },
    session: { count: 0, bytes: 0 },
    manifest: { count: 0, bytes: 0 },
    segment: { count: 0, bytes: 0 },
  };
  const pending: Promise<void>[] = [];
  let counting = true;
  const onFinished = (request: Request): void => {
    if (!counting) return;
    pending.push(
      request.sizes().then((sizes) => {
        // Only what crossed the network: a browser-cache hit reports no body bytes.
        if (sizes.responseBodySize <= 0) return;
        const entry = requests[kindOf(request.url())];
        entry.count += 1;
        entry.bytes += sizes.responseBodySize + Math.max(0, sizes.responseHeadersSize);
      }),
    );
  };
  page.on("requestfinished", onFinished);
  await page.fill("#asset", TITLES.talk);
  await page.selectOption("#player", player);
  // Page-side code as strings: this Node.js file has no DOM types.
  const toPlayingMs = await page.evaluate<number>(`new Promise((resolve) => {
    const video = document.getElementById("video");
    const started = performance.now();
    video.addEventListener("playing", () => resolve(performance.now() - started), { once: true });
    document.getElementById("play").click();
  })`);
  counting = false;
  page.off("requestfinished", onFinished);
  await Promise.all(pending);
  const mintMs = await page.evaluate<number>(
    `performance.getEntriesByType("resource").filter((e) => e.name.includes("/auth/")).map((e) => e.duration).pop() ?? NaN`,
  );
  return { player, cache, requests, mintMs, toPlayingMs };
}

async function mintInProcess(
  stage: PlaybackStage,
  count: number,
): Promise<{ first: number; p50: number; p95: number; max: number }> {
  const event = (await import("../../functions/mint-playback-session/events/session-request.json")).default;
  const request = structuredClone(event) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  (request as { pathParameters: Record<string, string> }).pathParameters = { assetId: TITLES.talk };
  const session = stage.backend.sessionFunction(stage.edge.baseUrl, 300);
  // A cold container: the first call reads the secret (Powertools cache emptied) and parses the key.
  clearCaches();
  const context = lambdaContextFor("mint-playback-session");
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const result = await session(request, context);
    times.push(performance.now() - started);
    if (typeof result === "string" || result.statusCode !== 200)
      throw new Error(`mint failed: ${JSON.stringify(result)}`);
  }
  const sorted = times.slice(1).sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { first: times[0] ?? Number.NaN, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? Number.NaN };
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const kib = (bytes: number): string => (bytes / 1024).toFixed(1);
const median = (values: number[]): number =>
  values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const runs = option("runs", 3);
  const mints = option("mints", 200);
  const stage = await startPlaybackStage({ clipSeconds: 12, shortTtlSeconds: 60 });
  try {
    const page = await stage.openViewer({ asset: TITLES.talk, player: "hls" });
    // Signs in once (Hosted UI stand-in) and plays: the tab then holds the token, as a viewer's would.
    await page.waitForFunction(`document.body.dataset.state === "playing"`, undefined, { timeout: 30_000 });
    const results: Run[] = [];
    for (const player of ["hls", "dash"] as const) {
      for (const cache of ["cold", "warm"] as const) {
        for (let i = 0; i < runs; i++) {
          stage.edge.resetLogs();
          results.push(await pressPlay(stage, page, player, cache));
        }
      }
    }
    const kinds: Kind[] = ["player", "session", "manifest", "segment"];
    console.log(`\nPress play → first frame (median of ${runs} runs; requests/KiB over the network)\n`);
    console.log(
      `| player  | cache | ${kinds.map((k) => `${k} req/KiB`).join(" | ")} | total req/KiB | session mint (page) | press play → playing |`,
    );
    console.log(`| ------- | ----- | ${kinds.map(() => "---").join(" | ")} | --- | --- | --- |`);
    for (const player of ["hls", "dash"] as const) {
      for (const cache of ["cold", "warm"] as const) {
        const group = results.filter((r) => r.player === player && r.cache === cache);
        const cells = kinds.map(
          (k) =>
            `${median(group.map((r) => r.requests[k].count))} / ${kib(median(group.map((r) => r.requests[k].bytes)))}`,
        );
        const totalCount = median(group.map((r) => kinds.reduce((n, k) => n + r.requests[k].count, 0)));
        const totalBytes = median(group.map((r) => kinds.reduce((n, k) => n + r.requests[k].bytes, 0)));
        console.log(
          `| ${player === "hls" ? "hls.js " : "dash.js"} | ${cache}  | ${cells.join(" | ")} | ${totalCount} / ${kib(totalBytes)} | ${median(group.map((r) => r.mintMs)).toFixed(1)} ms | ${median(group.map((r) => r.toPlayingMs)).toFixed(0)} ms |`,
        );
      }
    }
    const mint = await mintInProcess(stage, mints);
    console.log(`\nSession mint, handler in process (mocked catalogue + secret), ${mints} calls\n`);
    console.log("| first call (secret read, key parse) | p50 | p95 | max |");
    console.log("| --- | --- | --- | --- |");
    console.log(
      `| ${mint.first.toFixed(2)} ms | ${mint.p50.toFixed(2)} ms | ${mint.p95.toFixed(2)} ms | ${mint.max.toFixed(2)} ms |`,
    );
  } finally {
    await stage.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
