/**
 * What every id in the catalogue and in MediaPackage paths is made of: `[A-Za-z0-9_-]`, 1–128 characters.
 * Anything else reaching an API (a path parameter, say) is not an asset id and is refused before any lookup.
 */
export const ASSET_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** True when `value` has the shape of an asset id (see ASSET_ID_PATTERN); says nothing about whether it exists. */
export function isAssetId(value: unknown): value is string {
  return typeof value === "string" && ASSET_ID_PATTERN.test(value);
}
