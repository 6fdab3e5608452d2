import { createHash } from "node:crypto";

/**
 * What every id in the catalogue and in MediaPackage paths is made of: `[A-Za-z0-9_-]`, 1–128 characters.
 * Anything else reaching an API (a path parameter, say) is not an asset id and is refused before any lookup.
 */
export const ASSET_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** True when `value` has the shape of an asset id (see ASSET_ID_PATTERN); says nothing about whether it exists. */
export function isAssetId(value: unknown): value is string {
  return typeof value === "string" && ASSET_ID_PATTERN.test(value);
}

/**
 * 12 hex chars naming one version of a source: output folders and the MediaPackage asset are named
 * after it, so a re-upload never overwrites the outputs of the version still being published.
 * Derived by claim-upload; register-asset derives it for older versions to remove their assets.
 */
export function revisionFor(versionId: string): string {
  return createHash("sha256").update(versionId).digest("hex").slice(0, 12);
}
