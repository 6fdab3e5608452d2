import { GetParameterError, TransformParameterError } from "@aws-lambda-powertools/parameters";
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import * as z from "zod/mini";
import { describe, isTransient } from "../shared/runtime/errors";

/**
 * How long a container keeps the signing key before reading the secret again, seconds. One read per
 * container per five minutes instead of one per session; it also bounds how long after step 2 of the key
 * rotation runbook (switch the active key) a warm container still signs with the previous key — which
 * stays in the key group until step 3, so its cookies keep verifying.
 */
export const SIGNING_KEY_CACHE_SECONDS = 300;

/**
 * The active CloudFront signing key: the public key's id in the key group and its private key, kept
 * together in one Secrets Manager secret so a rotation can never pair one key's id with another's key.
 * @example {"keyPairId":"K2JCJMDEHXQW5F","privateKey":"-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----\n"}
 */
export const SigningKeySchema = z.object({
  /** CloudFront public key ID (`aws.cloudfront.PublicKey` id, e.g. `K2JCJMDEHXQW5F`). */
  keyPairId: z.string().check(z.regex(/^[A-Z0-9]{1,128}$/)),
  /** PEM, PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`). */
  privateKey: z.string().check(z.regex(/^-----BEGIN (RSA )?PRIVATE KEY-----/)),
});
export type SigningKey = z.output<typeof SigningKeySchema>;

/**
 * The secret could not be read or is not a signing key. `retryable` is true when Secrets Manager was
 * throttled or failing (the viewer may retry), false when the deployment is wrong (permissions, the ARN,
 * the secret's contents). Messages never carry the secret's value.
 */
export class SigningKeyUnavailableError extends Error {
  override readonly name = "SigningKeyUnavailableError";
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Reads the signing key through Powertools Parameters, cached per container for SIGNING_KEY_CACHE_SECONDS
 * (Powertools' own default is 5 s).
 * https://docs.aws.amazon.com/powertools/typescript/latest/features/parameters/
 */
export async function readSigningKey(secretArn: string): Promise<SigningKey> {
  let value: unknown;
  try {
    value = await getSecret(secretArn, { transform: "json", maxAge: SIGNING_KEY_CACHE_SECONDS });
  } catch (error) {
    // A JSON parse error's message quotes the start of the text it could not parse: the key itself.
    if (error instanceof TransformParameterError) {
      throw new SigningKeyUnavailableError("signing key secret is not JSON", false);
    }
    const cause = error instanceof GetParameterError && error.cause !== undefined ? error.cause : error;
    throw new SigningKeyUnavailableError(
      `signing key secret could not be read: ${describe(cause)}`,
      isTransient(cause),
    );
  }
  if (value === undefined) {
    throw new SigningKeyUnavailableError("signing key secret has no SecretString", false);
  }
  const parsed = SigningKeySchema.safeParse(value);
  if (!parsed.success) {
    // Name the fields, never their values.
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(root)"))];
    throw new SigningKeyUnavailableError(
      `signing key secret must be {"keyPairId","privateKey"}; invalid: ${fields.join(", ")}`,
      false,
    );
  }
  return parsed.data;
}
