import * as fs from "node:fs";
import * as path from "node:path";
import { buildSync } from "esbuild";
import type { ViewerConfig } from "../viewer/src/config";

/** One file of the viewer site, ready to upload: `key` is its path under the site's root. */
export interface ViewerFile {
  /** e.g. `viewer/index.html`; the distribution serves it at `/${key}`. */
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** The folder the page lives in on the CDN; the Hosted UI callback URL is `https://<cdn>/viewer/index.html`. */
export const VIEWER_PREFIX = "viewer/";

/** The page's sources: infra/viewer (index.html + src/main.ts), resolved from this file so `pulumi up` runs anywhere. */
export const VIEWER_DIR = path.join(__dirname, "..", "viewer");

/** Hashed names never change content, so CDNs and browsers may keep them a year. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** The page and its config must be revalidated, so a deploy reaches viewers at once. */
const REVALIDATE = "no-cache";

/**
 * Builds the viewer site in memory: `viewer/index.html` (pointing at the hashed entry module),
 * `viewer/viewer-<hash>.js` and one hashed chunk per player (hls.js, dash.js), loaded only when
 * chosen. The stack uploads every file to the bucket the distribution serves `/viewer/*` from and
 * adds `viewer/config.json` (viewerConfigFile). Throws with esbuild's messages when the page does
 * not compile.
 *
 * @example buildViewer().map((f) => f.key) // ["viewer/index.html", "viewer/viewer-AB12CD34.js", "viewer/chunks/hls-….js", …]
 */
export function buildViewer(): ViewerFile[] {
  const outdir = path.join(VIEWER_DIR, "dist");
  const result = buildSync({
    entryPoints: { viewer: path.join(VIEWER_DIR, "src", "main.ts") },
    absWorkingDir: VIEWER_DIR,
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    // Media Source Extensions players for current evergreen browsers (hls.js's and dash.js's own targets).
    target: ["chrome109", "edge109", "firefox115", "safari15"],
    minify: true,
    write: false,
    metafile: true,
    entryNames: "[name]-[hash]",
    chunkNames: "chunks/[name]-[hash]",
    legalComments: "none",
    logLevel: "silent",
  });
  const files: ViewerFile[] = result.outputFiles.map((file) => ({
    key: VIEWER_PREFIX + path.relative(outdir, file.path).split(path.sep).join("/"),
    body: file.text,
    contentType: "text/javascript; charset=utf-8",
    cacheControl: IMMUTABLE,
  }));
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint !== undefined);
  if (entry === undefined) throw new Error("viewer build produced no entry module");
  const entryName = path.relative(outdir, path.resolve(VIEWER_DIR, entry[0])).split(path.sep).join("/");
  const html = fs.readFileSync(path.join(VIEWER_DIR, "index.html"), "utf8");
  if (!html.includes('src="viewer.js"')) throw new Error('infra/viewer/index.html must load src="viewer.js"');
  return [
    {
      key: `${VIEWER_PREFIX}index.html`,
      body: html.replace('src="viewer.js"', `src="${entryName}"`),
      contentType: "text/html; charset=utf-8",
      cacheControl: REVALIDATE,
    },
    ...files,
  ];
}

/**
 * The page's runtime configuration as the file the stack uploads beside it (`viewer/config.json`).
 * @example viewerConfigFile({ sessionPath: "/auth/v1/{assetId}/session" }).key // "viewer/config.json"
 */
export function viewerConfigFile(config: ViewerConfig): ViewerFile {
  return {
    key: `${VIEWER_PREFIX}config.json`,
    body: JSON.stringify(config),
    contentType: "application/json",
    cacheControl: REVALIDATE,
  };
}
