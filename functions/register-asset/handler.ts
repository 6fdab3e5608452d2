import { ingestHandler } from "../shared/runtime/handler";
import { registerAssetConfig } from "./env";
import { makeRegisterAsset } from "./register-asset";
import { RegisterRequestSchema } from "./schema";

/**
 * State "Register With MediaPackage" (`arn:aws:states:::lambda:invoke`).
 * Its environment: env.ts.
 */
export const handler = ingestHandler(RegisterRequestSchema, (input, context) =>
  (registerAsset ??= makeRegisterAsset(registerAssetConfig()))(input, context),
);

let registerAsset: ReturnType<typeof makeRegisterAsset> | undefined;
