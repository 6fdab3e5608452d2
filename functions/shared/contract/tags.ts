/**
 * The tags of this stack: on every taggable resource infra creates and on every MediaConvert job
 * submit-job creates (CreateJob `Tags`), so Cost Explorer can split transcoding minutes by stack
 * once the key is activated as a cost allocation tag. Infra, submit-job and the runner's
 * MediaConvert stand-in all read this one definition.
 *
 * Limits are the common ones AWS documents for tags (e.g. AWS Batch "Tag restrictions",
 * https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html): at most 50 per
 * resource, keys of 1–128 and values of 0–256 characters, letters, digits, spaces and `+ - = . _ : / @`,
 * and no `aws:` prefix (reserved for AWS).
 */

/** The key whose value names the stack (its marker, e.g. `vod-ingest-dev`). */
export const STACK_TAG_KEY = "vod:stack";

/** Tags a resource may carry (user tags, this stack's tag, and what AWS itself adds are apart). */
export const MAX_TAGS = 50;

const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/**
 * What is wrong with a set of tags, or undefined when AWS would accept them.
 * @example tagProblem({ "aws:x": "1" }) === 'tag key "aws:x": the aws: prefix is reserved for AWS'
 */
export function tagProblem(tags: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) return `${entries.length} tags, at most ${MAX_TAGS} are allowed`;
  for (const [key, value] of entries) {
    if (/^aws:/i.test(key)) return `tag key "${key}": the aws: prefix is reserved for AWS`;
    if (!KEY.test(key)) return `tag key "${key}": 1–128 letters, digits, spaces or + - = . _ : / @ expected`;
    if (typeof value !== "string" || !VALUE.test(value))
      return `tag value "${String(value)}" of "${key}": 0–256 letters, digits, spaces or + - = . _ : / @ expected`;
  }
  return undefined;
}

/**
 * The stack's tags: the user's (config `tags`) and the stack's own key, which they may not change.
 * @example stackTags("vod-ingest-dev", { team: "media" }) // { team: "media", "vod:stack": "vod-ingest-dev" }
 */
export function stackTags(
  stackMarker: string,
  userTags: Readonly<Record<string, string>> = {},
): Readonly<Record<string, string>> {
  if (STACK_TAG_KEY in userTags) throw new RangeError(`tag key "${STACK_TAG_KEY}" is set by the stack`);
  const tags = { ...userTags, [STACK_TAG_KEY]: stackMarker };
  const problem = tagProblem(tags);
  if (problem !== undefined) throw new RangeError(problem);
  return tags;
}
