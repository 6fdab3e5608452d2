import { createHash } from "node:crypto";

/**
 * Ids derived from an upload's bucket, key and version. User-chosen characters stop here: every id
 * is `[A-Za-z0-9_-]` (URL-, S3-prefix- and MediaPackage-safe), readable, and stable, so a retry or a
 * redrive derives exactly the same ids (ARCHITECTURE.md, decisions 5 and 6).
 */

/** Longest readable part of an asset id; the hash suffix adds 9 characters. */
const SLUG_MAX_LENGTH = 48;
/** Used when nothing readable survives slugging (a key made only of emoji or CJK, say). */
const EMPTY_SLUG = "asset";

/**
 * The catalogue's id for the asset at `bucket/key`: a readable slug of the key (its file name first,
 * then as many enclosing folders as fit) and 8 hex chars of sha256(`bucket/key`), so two keys that
 * slugify alike (`a b.mp4`, `a-b.mp4`) never share an asset.
 * @example assetIdFor("uploads", "talks/lecture 01 (final).mov") // "talks-lecture-01-final-" + 8 hex chars
 */
export function assetIdFor(bucket: string, key: string): string {
  return `${readableSlug(key)}-${sha256(`${bucket}/${key}`).slice(0, 8)}`;
}

/** A source version's revision (defined in shared/contract/asset-id.ts, which register-asset shares). */
export { revisionFor } from "../shared/contract/asset-id";

/** The file name a person recognises: the key without its folders. */
export function titleFor(key: string): string {
  const name = key.split("/").pop();
  return name === undefined || name === "" ? key : name;
}

/**
 * Ledger key claiming one version of one object (see ClaimItem in contracts.ts). Hashed because keys
 * may be up to 1,024 bytes and hold any character.
 */
export function claimKey(bucket: string, key: string, versionId: string): `claim#${string}` {
  return `claim#${sha256(`${bucket}/${key}/${versionId}`)}`;
}

/**
 * The file name's slug, preceded by the nearest folders while the whole stays within
 * SLUG_MAX_LENGTH: the file name says most about a video, `uploads/2024/` says little.
 */
function readableSlug(key: string): string {
  const segments = key.split("/").filter((segment) => segment !== "");
  const fileName = segments.pop() ?? "";
  let slug = truncateWords(slugify(withoutExtension(fileName)), SLUG_MAX_LENGTH);
  for (const folder of segments.reverse()) {
    const folderSlug = slugify(folder);
    if (folderSlug === "") continue;
    const candidate = slug === "" ? folderSlug : `${folderSlug}-${slug}`;
    if (candidate.length > SLUG_MAX_LENGTH) break;
    slug = candidate;
  }
  return slug === "" ? EMPTY_SLUG : slug;
}

/** NFKD splits "é" into "e" + a combining accent, which is then dropped; everything else becomes "-". */
function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Cuts at a word boundary so the slug never ends mid-word (unless a single word is too long). */
function truncateWords(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength + 1);
  const lastDash = cut.lastIndexOf("-");
  return (lastDash > 0 ? cut.slice(0, lastDash) : slug.slice(0, maxLength)).replace(/-+$/, "");
}

/** `lecture.final.mov` → `lecture.final`; a leading dot (`.mov`) is a name, not an extension. */
function withoutExtension(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
