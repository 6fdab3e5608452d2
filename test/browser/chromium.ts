import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's Chromium (package `chromium`); CI installs it (.ci/run). */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Flags for a headless Chromium on a closed network (/work/.library/env/machines/node.md): no
 * sandbox (root in CI), no GPU, no QUIC, no background connections that the network would refuse,
 * and autoplay without a gesture (the page opens a title from its URL).
 */
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--autoplay-policy=no-user-gesture-required",
];

/**
 * Starts Chromium with a fresh profile. Throws — never skips — when Chromium is not installed.
 * `ignoreHTTPSErrors`: the loopback edge's certificate is self-signed (test/browser/tls.ts).
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Debian Chromium is not installed (${CHROMIUM}); the browser test needs it: ` +
        "`apt-get install -y --no-install-recommends chromium ffmpeg openssl` (CI's .ci/run does this).",
    );
  }
  const profile = mkdtempSync(join(tmpdir(), "vod-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    ignoreHTTPSErrors: true,
    timeout: 30_000,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
