import { assetIdFor, claimKey, revisionFor, titleFor } from "./asset-id";
import { executionName } from "../shared/runtime/console-links";
import type { ClaimResult, SourceObject } from "../shared/contract/workflow";
import { sourceUri } from "../shared/media/output-layout";
import { logger } from "../shared/runtime/powertools";
import { putRevisionRow, revisionRow } from "../shared/catalogue/life-cycle";
import { claimItem, claimSourceVersion } from "./ledger";
import { probeSource } from "./probe";
import { sourceNotFound, type Rejection } from "./rejections";
import { resolveKey } from "./resolve-key";
import type { ClaimPayload } from "./schema";
import { orderableSequencer } from "./sequencer";
import { checkExtension, checkSize, verdictFromProbe, type Verdict } from "./validate";

export interface ClaimConfig {
  readonly ledgerTable: string;
  readonly catalogueTable: string;
  /** Lower case, no dots. */
  readonly acceptedExtensions: readonly string[];
}

const SUPERSEDED_REASON = "a newer version of this key is already in the catalogue";

/**
 * The "Claim Upload" state: turns an S3 "Object Created" event into the one work item later states see,
 * or says why there is nothing to do.
 *
 * 1. A folder marker (`videos/`) is IGNORED.
 * 2. The real key is resolved with HeadObject (resolve-key.ts); an object that cannot be found is
 *    REJECTED (Vod.SourceNotFound) with a row saying so.
 * 3. The object version is claimed in the ledger: a duplicate delivery stops here (DUPLICATE).
 * 4. The source is validated: extension, size, MediaConvert Probe.
 * 5. The catalogue row is written for this revision (INGESTING or REJECTED) unless a newer version of
 *    the key owns it (IGNORED).
 */
export async function claimUpload(
  payload: ClaimPayload,
  config: ClaimConfig,
  now: () => Date = () => new Date(),
): Promise<ClaimResult> {
  const { executionArn } = payload;
  const { bucket, object } = payload.event.detail;
  logger.appendKeys({ executionName: executionName(executionArn) });

  if (isFolderMarker(object.key)) {
    logger.info("ignored a folder marker", { key: object.key });
    return { outcome: "IGNORED", reason: `'${object.key}' is a folder marker, not a file` };
  }

  const uploaded = {
    bucket: bucket.name,
    key: object.key,
    versionId: object["version-id"],
    size: object.size,
    etag: object.etag,
  };
  const sequencer = orderableSequencer(object.sequencer);
  const resolved = await resolveKey(uploaded);
  if (resolved === undefined) {
    // Which reading of the key was meant is unknown: the row is filed under the key as delivered.
    const source: SourceObject = { ...uploaded, sequencer };
    const rejection = sourceNotFound(bucket.name, object.key, uploaded.versionId, uploaded.size);
    return recordOutcome(config, source, executionArn, now(), { rejection });
  }

  const source: SourceObject = { ...uploaded, key: resolved.key, etag: resolved.etag, sequencer };
  const assetId = assetIdFor(source.bucket, source.key);
  logger.appendKeys({ assetId });

  const claim = await claimSourceVersion(
    config.ledgerTable,
    claimItem(claimKey(source.bucket, source.key, source.versionId), assetId, executionArn, now()),
  );
  if (!claim.owned) {
    logger.info("duplicate delivery: another execution owns this object version", {
      ownerExecutionArn: claim.ownerExecutionArn,
    });
    return { outcome: "DUPLICATE", assetId };
  }
  if (claim.resumed) logger.info("resuming this execution's own claim (retry or redrive)");

  const verdict = await validateSource(source, config.acceptedExtensions);
  return recordOutcome(config, source, executionArn, now(), verdict);
}

/** Cheap checks first: a `.txt` or an empty file never costs a Probe call. */
async function validateSource(source: SourceObject, acceptedExtensions: readonly string[]): Promise<Verdict> {
  const title = titleFor(source.key);
  const rejection = checkExtension(title, acceptedExtensions) ?? checkSize(title, source.size);
  if (rejection !== undefined) return { rejection };
  // The URI submit-job gives MediaConvert (shared/media/output-layout.ts): Probe reads exactly what the job will.
  return verdictFromProbe(title, await probeSource(sourceUri(source.bucket, source.key)));
}

/** Writes the revision's row and turns the verdict into the state's result. */
async function recordOutcome(
  config: ClaimConfig,
  source: SourceObject,
  executionArn: string,
  at: Date,
  verdict: Verdict,
): Promise<ClaimResult> {
  const assetId = assetIdFor(source.bucket, source.key);
  const revision = revisionFor(source.versionId);
  logger.appendKeys({ assetId });
  const rejection: Rejection | undefined = "rejection" in verdict ? verdict.rejection : undefined;
  const facts = "facts" in verdict ? verdict.facts : undefined;
  const row = revisionRow({
    assetId,
    title: titleFor(source.key),
    revision,
    source,
    executionArn,
    now: at,
    facts,
    rejection,
  });

  if ((await putRevisionRow(config.catalogueTable, row)) === "SUPERSEDED") {
    logger.info("not cataloguing an older version: a newer one owns the row", {
      revision,
      sequencer: source.sequencer,
    });
    return { outcome: "IGNORED", reason: SUPERSEDED_REASON };
  }
  if (rejection !== undefined) {
    logger.info("source rejected", { code: rejection.code, reason: rejection.message });
    return { outcome: "REJECTED", assetId, reason: rejection.message };
  }
  if (facts === undefined) throw new Error("a verdict carries either facts or a rejection");
  logger.info("source claimed", { revision, facts });
  return { outcome: "CLAIMED", upload: { assetId, revision, source, facts } };
}

/**
 * The console's "Create folder" writes a zero-byte object whose key ends in "/" (also recognised
 * percent-encoded, in case EventBridge ever encodes the slash).
 */
function isFolderMarker(key: string): boolean {
  return key.endsWith("/") || /%2F$/i.test(key);
}
