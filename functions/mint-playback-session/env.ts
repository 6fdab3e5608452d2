import * as z from "zod/mini";
import { CdnBaseUrlSchema } from "../shared/catalogue/playback-urls";
import { issuesText } from "../shared/runtime/schema-issues";

/** Cookie lifetime when `COOKIE_TTL_SECONDS` is not set (DELIVERY.md §7: five minutes, refreshed by the player). */
export const DEFAULT_COOKIE_TTL_SECONDS = 300;

/** The claim that carries a viewer's groups when `ENTITLEMENT_CLAIM` is not set (Cognito user pool groups). */
export const DEFAULT_ENTITLEMENT_CLAIM = "cognito:groups";

/**
 * mint-playback-session's environment, the one definition infra types its `environment` against
 * (`z.input<typeof MintPlaybackSessionEnvSchema>`), so a renamed or forgotten variable fails `tsc`.
 *
 * @example
 * {
 *   "CATALOGUE_TABLE": "vod-ingest-catalogue",
 *   "SIGNING_KEY_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:playback-signing-key-AbCdEf",
 *   "CDN_BASE_URL": "https://d111111abcdef8.cloudfront.net",
 *   "COOKIE_TTL_SECONDS": "300",
 *   "ENTITLEMENT_CLAIM": "cognito:groups"
 * }
 */
export const MintPlaybackSessionEnvSchema = z.object({
  /** Catalogue table name (partition key `assetId`). */
  CATALOGUE_TABLE: z.string().check(z.minLength(1)),
  /** ARN of the Secrets Manager secret `{"keyPairId":"K…","privateKey":"-----BEGIN …"}` (active signing key). */
  SIGNING_KEY_SECRET_ARN: z
    .string()
    .check(z.regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/)),
  /** `https://<cdn host>`: cookie policies and playback URLs are built on it (see CdnBaseUrlSchema). */
  CDN_BASE_URL: CdnBaseUrlSchema,
  /** How long minted cookies are valid, seconds (default 300); the player refreshes at 80 %. */
  COOKIE_TTL_SECONDS: z._default(
    z.pipe(z.coerce.number(), z.int().check(z.gte(60), z.lte(86_400))),
    DEFAULT_COOKIE_TTL_SECONDS,
  ),
  /** The JWT claim a title's `entitlement` must appear in (default `cognito:groups`). */
  ENTITLEMENT_CLAIM: z._default(z.string().check(z.minLength(1)), DEFAULT_ENTITLEMENT_CLAIM),
});

export type MintPlaybackSessionEnv = z.output<typeof MintPlaybackSessionEnvSchema>;

/**
 * The variables as a Lambda `environment.variables` map holds them (strings; the defaulted ones optional), for
 * infra: `variables: { ... } satisfies MintPlaybackSessionEnvVars` (wrap in pulumi.Input as needed).
 */
export type MintPlaybackSessionEnvVars = {
  [K in keyof z.input<typeof MintPlaybackSessionEnvSchema>]: string;
};

/** Validated configuration; throws a message naming every bad variable, so a mis-deployed function fails loudly. */
export function loadEnv(env: NodeJS.ProcessEnv = process.env): MintPlaybackSessionEnv {
  const parsed = MintPlaybackSessionEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`mint-playback-session environment is invalid: ${issuesText(parsed.error)}`);
  }
  return parsed.data;
}
