import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Where Debian's ffmpeg lives; CI installs it (.ci/run). */
export const FFMPEG = "/usr/bin/ffmpeg";

/** One title's media on the edge: the paths MediaPackage VOD would give it. */
export interface TitleMedia {
  /** `/out/v1/<assetHash>/`: the per-title cookie scope. */
  readonly pathPrefix: string;
  /** Paths (no host) of the HLS master playlist and the DASH manifest. */
  readonly hlsPath: string;
  readonly dashPath: string;
}

/**
 * Encodes a small real CMAF ladder once — 2 video rungs (640x360, 426x240, H.264 Main) + AAC audio,
 * 2 s GOP-aligned fMP4 segments, one segment set with both a DASH `index.mpd` and HLS playlists
 * (`index.m3u8` + `media_N.m3u8` with EXT-X-MAP) — the command of DELIVERY.md section 6.
 * @throws when ffmpeg is missing, with how to install it (the browser test must fail, never skip).
 */
export function encodeLadder(dir: string, seconds: number): void {
  if (!existsSync(FFMPEG)) {
    throw new Error(
      `Debian ffmpeg is not installed (${FFMPEG}); the browser test needs it: ` +
        "`apt-get install -y --no-install-recommends chromium ffmpeg openssl` (CI's .ci/run does this).",
    );
  }
  mkdirSync(dir, { recursive: true });
  execFileSync(
    FFMPEG,
    [
      ...["-hide_banner", "-loglevel", "error", "-y"],
      ...["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25"],
      ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String(seconds)],
      ...["-filter_complex", "[0:v]split=2[v1][v2];[v2]scale=426:240[v2o]"],
      ...["-map", "[v1]", "-map", "[v2o]", "-map", "1:a"],
      ...["-c:v", "libx264", "-profile:v", "main", "-preset", "veryfast", "-pix_fmt", "yuv420p"],
      ...["-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-b:v:0", "800k", "-b:v:1", "400k"],
      ...["-c:a", "aac", "-b:a", "96k", "-ac", "2"],
      ...["-f", "dash", "-seg_duration", "2", "-use_template", "1", "-use_timeline", "1"],
      ...["-hls_playlist", "1", "-hls_master_name", "index.m3u8"],
      ...["-adaptation_sets", "id=0,streams=v id=1,streams=a"],
      ...[
        "-init_seg_name",
        "init-$RepresentationID$.m4s",
        "-media_seg_name",
        "chunk-$RepresentationID$-$Number%05d$.m4s",
      ],
      "index.mpd",
    ],
    { cwd: dir, stdio: "pipe", timeout: 60_000 },
  );
  if (!readdirSync(dir).includes("index.m3u8")) throw new Error(`ffmpeg wrote no index.m3u8 in ${dir}`);
}

/**
 * Places an encoded ladder under `mediaRoot` at a MediaPackage-shaped path,
 * `/out/v1/<assetHash>/<configurationHash>/<hash>/` (DELIVERY.md section 1).
 */
export function publishLadder(encoded: string, mediaRoot: string, assetHash: string): TitleMedia {
  const folder = `/out/v1/${assetHash}/${"c".repeat(32)}/${"e".repeat(32)}/`;
  cpSync(encoded, join(mediaRoot, folder), { recursive: true });
  return {
    pathPrefix: `/out/v1/${assetHash}/`,
    hlsPath: `${folder}index.m3u8`,
    dashPath: `${folder}index.mpd`,
  };
}

/** One title's CMAF group in the "output bucket": the key layout of shared/media/output-layout.ts. */
export interface CmafGroupMedia {
  /** `/<assetId>/`: the cookie scope of the title's output-bucket objects. */
  readonly pathPrefix: string;
  readonly hlsPath: string;
  readonly dashPath: string;
}

/**
 * Places an encoded ladder under `mediaRoot` where the distribution serves the output bucket's CMAF group:
 * `/<assetId>/<revision>/cmaf/index.{m3u8,mpd}` (the keys MediaConvert writes, served at the same path).
 */
export function publishCmafGroup(
  encoded: string,
  mediaRoot: string,
  assetId: string,
  revision: string,
): CmafGroupMedia {
  const folder = `/${assetId}/${revision}/cmaf/`;
  cpSync(encoded, join(mediaRoot, folder), { recursive: true });
  return { pathPrefix: `/${assetId}/`, hlsPath: `${folder}index.m3u8`, dashPath: `${folder}index.mpd` };
}
