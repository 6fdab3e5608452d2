import * as z from "zod/mini";

/**
 * The envelope every event an EventBridge rule delivers has ("AWS service event metadata":
 * version, id, detail-type, source, account, time, region, resources, detail;
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html), with `source`
 * and `detail-type` pinned to the one event a function subscribes to and `detail` given by its
 * schema. `replay-name` (optional) marks an event replayed from an archive; the metadata page does not
 * list it, Powertools' EventBridge schema and its example event carry it, so it is accepted as they do.
 * Fields the envelope does not list are dropped, as zod objects do.
 *
 * Ours rather than Powertools' EventBridgeSchema: that one is built on classic zod, and one classic
 * import puts all of zod (~455 KB) in the bundle; this is zod/mini, which tree-shakes.
 *
 * @example eventBridgeEvent("aws.s3", "Object Created", ObjectCreatedDetailSchema)
 */
export function eventBridgeEvent<
  const Source extends string,
  const DetailType extends string,
  Detail extends z.ZodMiniType,
>(source: Source, detailType: DetailType, detail: Detail) {
  return z.object({
    /** "By default, this is set to 0 (zero) in all events." */
    version: z.string(),
    /** A version 4 UUID per event: the correlation id the logger records (`eventBridgeId` in runtime/handler.ts). */
    id: z.string().check(z.minLength(1)),
    "detail-type": z.literal(detailType),
    source: z.literal(source),
    /** The 12-digit account id. */
    account: z.string(),
    time: z.iso.datetime(),
    region: z.string(),
    /** ARNs of the resources involved; which ones is up to the emitting service. */
    resources: z.array(z.string()),
    detail,
    "replay-name": z.optional(z.string()),
  });
}
