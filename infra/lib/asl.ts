import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { WorkflowFunctionPlaceholder } from "./function-table";

/** The ingest workflow as committed: pure ASL JSON with `${Placeholder}` strings. */
export const INGEST_DEFINITION_PATH = path.join(__dirname, "..", "..", "statemachines", "ingest.asl.json");

/**
 * Values for every placeholder the ingest definition uses (and nothing else): one function ARN per
 * entry of `WORKFLOW_TASK_FUNCTIONS`, and the rest.
 */
export type IngestSubstitutions = Readonly<Record<WorkflowFunctionPlaceholder, string>> & {
  /**
   * The stack's partition (`aws`, `aws-cn`, `aws-us-gov`): service integrations are
   * `arn:<partition>:states:::<service>:<api>`, so the file writes `arn:${Partition}:states:::…`.
   */
  readonly Partition: string;
  readonly CatalogueTableName: string;
  /** The admission queue "Transcode To CMAF" sends each title to (shared/contract/admission.ts). */
  readonly AdmissionQueueUrl: string;
  readonly TranscodeHeartbeatSeconds: number;
  readonly TranscodeTimeoutSeconds: number;
};

/** A definition that cannot be rendered: an unknown, missing or unused placeholder. */
export class DefinitionError extends Error {
  override readonly name = "DefinitionError";
}

const WHOLE = /^\$\{([A-Za-z][A-Za-z0-9]*)\}$/;
const INSIDE = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/**
 * Fills `${Name}` placeholders in an ASL definition and returns the JSON that Step Functions gets.
 * A string that is exactly one placeholder takes the value's type, so `"TimeoutSeconds":
 * "${TranscodeTimeoutSeconds}"` becomes a number while the file stays valid JSON for Workflow Studio.
 * Placeholders inside longer strings are replaced as text. Throws on a placeholder without a value
 * and on a value no placeholder uses, so the definition and the code that fills it cannot drift.
 * The Pulumi program (infra/workflow.ts) and the local workflow runner both call this.
 *
 * @example renderDefinition('{"TimeoutSeconds":"${T}"}', { T: 60 }) === '{"TimeoutSeconds":60}'
 */
export function renderDefinition(
  template: string,
  values: Readonly<Record<string, string | number>>,
): string {
  const used = new Set<string>();
  const lookup = (name: string): string | number => {
    const value = values[name];
    if (value === undefined) throw new DefinitionError(`No value for placeholder \${${name}}`);
    used.add(name);
    return value;
  };
  const fill = (node: unknown): unknown => {
    if (typeof node === "string") {
      const whole = WHOLE.exec(node);
      if (whole?.[1] !== undefined) return lookup(whole[1]);
      return node.replace(INSIDE, (_match, name: string) => String(lookup(name)));
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    }
    return node;
  };
  const rendered = fill(JSON.parse(template));
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new DefinitionError(`Values not used by the definition: ${unused.join(", ")}`);
  return JSON.stringify(rendered);
}

/** Renders statemachines/ingest.asl.json. */
export function renderIngestDefinition(values: IngestSubstitutions): string {
  return renderDefinition(readFileSync(INGEST_DEFINITION_PATH, "utf8"), { ...values });
}
