import { ingestHandler } from "../shared/runtime/handler";
import { loadConfig } from "./config";
import { makeRegisterAsset } from "./register-asset";
import { RegisterRequestSchema } from "./schema";

/**
 * State "Register With MediaPackage" (`arn:aws:states:::lambda:invoke`).
 * Env: CATALOGUE_TABLE, PACKAGING_GROUP_ID, PACKAGING_ROLE_ARN, PACKAGING_SOURCE ("hls-ts" | "cmaf"),
 * PACKAGING_CONFIGURATIONS (`{"hls":"<id>","dash":"<id>","cmaf":"<id>"}`).
 */
export const handler = ingestHandler(RegisterRequestSchema, makeRegisterAsset(loadConfig()));
