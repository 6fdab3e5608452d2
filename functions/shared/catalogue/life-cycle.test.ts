import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { CmafGroupUrls, PlaybackUrls } from "../contract/workflow";
import { ASSET_STATUSES } from "./row";
import { PUBLISH } from "./life-cycle";

/** The parts of a DynamoDB updateItem Task this test reads. */
interface UpdateItemTask {
  readonly Resource: string;
  readonly Parameters: {
    readonly Key: { readonly assetId: { readonly "S.$": string } };
    readonly UpdateExpression: string;
    readonly ConditionExpression: string;
    readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
    readonly ExpressionAttributeValues: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  };
}

/** The state as it stands in the pure ASL (placeholders only ever sit inside JSON strings). */
function publishState(): UpdateItemTask {
  const file = path.join(__dirname, "..", "..", "..", "statemachines", "ingest.asl.json");
  const definition = JSON.parse(readFileSync(file, "utf8")) as { States: Record<string, unknown> };
  const state = definition.States["Publish To Catalogue"];
  if (state === undefined) throw new Error('ingest.asl.json has no "Publish To Catalogue" state');
  return state as UpdateItemTask;
}

/** An attribute name of an expression, with `#name` placeholders resolved. */
function attribute(token: string, names: Readonly<Record<string, string>> = {}): string {
  const resolved = token.startsWith("#") ? names[token] : token;
  if (resolved === undefined) throw new Error(`${token} is not in ExpressionAttributeNames`);
  return resolved;
}

/** `SET a = :x, #b = :y REMOVE #c` → the attributes it sets and removes. */
function clauses(expression: string, names?: Readonly<Record<string, string>>) {
  const match = /^SET (.+?)(?: REMOVE (.+))?$/.exec(expression);
  if (!match) throw new Error(`unexpected UpdateExpression: ${expression}`);
  const sets = (match[1] ?? "").split(",").map((part) => {
    const [target, value] = part.split("=").map((s) => s.trim());
    return { attribute: attribute(target ?? "", names), value: value ?? "" };
  });
  const removes = (match[2] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((token) => attribute(token, names));
  return { sets, removes };
}

describe("PUBLISH (the ASL's Publish To Catalogue)", () => {
  it("names every playback format of PlaybackUrls, and nothing else", () => {
    // Prepare: fails to compile when PlaybackUrls gains a format PUBLISH does not list.
    const every: Record<keyof PlaybackUrls, true> = { hls: true, dash: true, cmaf: true };
    const manifests: Record<keyof CmafGroupUrls, true> = { hls: true, dash: true };

    // Assess
    expect([...PUBLISH.playbackFormats].sort()).toEqual(Object.keys(every).sort());
    expect([...PUBLISH.cmafGroupManifests].sort()).toEqual(Object.keys(manifests).sort());
    expect(ASSET_STATUSES).toContain(PUBLISH.status);
  });

  it("is a DynamoDB updateItem of the execution's own row", () => {
    // Act
    const state = publishState();

    // Assess
    // The committed template: the partition is filled at deploy time (infra/lib/asl.ts).
    expect(state.Resource).toBe("arn:${Partition}:states:::dynamodb:updateItem");
    expect(state.Parameters.Key.assetId["S.$"]).toBe("$.claim.upload.assetId");
  });

  it("sets exactly the row fields the life cycle names and removes the error", () => {
    // Prepare
    const { Parameters } = publishState();

    // Act
    const { sets, removes } = clauses(Parameters.UpdateExpression, Parameters.ExpressionAttributeNames);

    // Assess
    expect(sets.map((s) => s.attribute)).toEqual([...PUBLISH.sets]);
    expect(removes).toEqual([...PUBLISH.removes]);
  });

  it("writes the PUBLISHED status, a playback map with one URL per format and the CMAF group's manifests from $.packaging", () => {
    // Prepare
    const { Parameters } = publishState();
    const { sets } = clauses(Parameters.UpdateExpression, Parameters.ExpressionAttributeNames);
    const valueOf = (field: string) => {
      const token = sets.find((s) => s.attribute === field)?.value ?? "";
      return Parameters.ExpressionAttributeValues[token];
    };

    // Act
    const status = valueOf("status");
    const playback = valueOf("playback") as { M: Record<string, { "S.$": string }> };
    const cmafGroup = valueOf("cmafGroup") as { M: Record<string, { "S.$": string }> };

    // Assess
    expect(status).toEqual({ S: PUBLISH.status });
    expect(Object.keys(playback.M).sort()).toEqual([...PUBLISH.playbackFormats].sort());
    for (const format of PUBLISH.playbackFormats) {
      expect(playback.M[format]).toEqual({ "S.$": `$.packaging.playback.${format}` });
    }
    expect(Object.keys(cmafGroup.M).sort()).toEqual([...PUBLISH.cmafGroupManifests].sort());
    for (const manifest of PUBLISH.cmafGroupManifests) {
      expect(cmafGroup.M[manifest]).toEqual({ "S.$": `$.packaging.cmafGroup.${manifest}` });
    }
    expect(valueOf("packagingAssetId")).toEqual({ "S.$": "$.packaging.packagingAssetId" });
  });

  it("writes only while the row describes the execution's revision", () => {
    // Prepare
    const { Parameters } = publishState();

    // Act
    const [left, right] = Parameters.ConditionExpression.split("=").map((s) => s.trim());

    // Assess
    expect(attribute(left ?? "", Parameters.ExpressionAttributeNames)).toBe(PUBLISH.condition);
    expect(Parameters.ExpressionAttributeValues[right ?? ""]).toEqual({ "S.$": "$.claim.upload.revision" });
  });
});
