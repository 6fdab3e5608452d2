import { readFile } from "node:fs/promises";
import type { Plugin } from "esbuild";

/**
 * The one file per AWS SDK v3 client that describes every operation's shapes (Smithy schemas):
 * `@aws-sdk/client-<name>/dist-es/schemas/schemas_<n>.js`.
 */
export const SCHEMA_FILE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;

/** `const _h = "http";`: the file's short names for the strings its schemas repeat. */
const STRING_CONSTANT = /^const (_\w+) = ("[^"\\\n]*");$/gm;

/** `{ [_h]: …` or `, [_h]: …`: a computed property key in an object literal, naming one of those strings. */
const COMPUTED_KEY = /([{,]\s*)\[(_\w+)\]:/g;

/**
 * Rewrites the computed keys of a schema file's trait objects (`{ [_h]: ["GET", …] }`) as the string
 * literals they name (`{ "http": … }`). Why: esbuild cannot tell that a computed key has no side
 * effect, so it keeps every schema whose object literal has one — every operation of the client,
 * used or not (S3's are ~68 KB, MediaConvert's ~81 KB of a bundle). With literal keys the unused
 * schemas are tree-shaken. Same object, same property names: only how the key is spelt changes.
 * Upstream: aws/aws-sdk-js-v3#7607, with a code-generation fix proposed in smithy-lang/smithy-typescript#1889
 * (esbuild's side: evanw/esbuild#4373); once clients ship literal keys this finds nothing to rewrite
 * and returns the source unchanged.
 * `__proto__` is left alone, as a literal key it would set the prototype rather than a property.
 */
export function literalSchemaKeys(source: string): string {
  const strings = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT)) {
    if (name !== undefined && literal !== undefined) strings.set(name, literal);
  }
  return source.replace(COMPUTED_KEY, (key: string, before: string, name: string) => {
    const literal = strings.get(name);
    return literal === undefined || literal === '"__proto__"' ? key : `${before}${literal}:`;
  });
}

/** The esbuild plugin that applies {@link literalSchemaKeys} to every client's schema file it bundles. */
export const literalSchemaKeysPlugin: Plugin = {
  name: "vod-literal-schema-keys",
  setup(build) {
    build.onLoad({ filter: SCHEMA_FILE }, async (args) => ({
      contents: literalSchemaKeys(await readFile(args.path, "utf8")),
      loader: "js",
    }));
  },
};
