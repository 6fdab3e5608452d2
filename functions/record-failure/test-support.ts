import type { GetExecutionHistoryCommandOutput, HistoryEvent } from "@aws-sdk/client-sfn";
import { lambdaContextFor } from "../shared/testing/lambda-context";

/** A history fixture as stored in events/history-*.json (JSON has no Date: timestamps are ISO strings). */
export interface HistoryFixture {
  readonly events: readonly ({ readonly timestamp: string; readonly type: string } & Record<
    string,
    unknown
  >)[];
}

/** The history events of a fixture, with timestamps as the SDK returns them. */
export function historyEvents(fixture: HistoryFixture): HistoryEvent[] {
  return structuredClone(fixture.events).map((e) => ({
    ...e,
    timestamp: new Date(e.timestamp),
  })) as HistoryEvent[];
}

/** One GetExecutionHistory page holding the whole fixture. */
export function historyPage(fixture: HistoryFixture): GetExecutionHistoryCommandOutput {
  return { events: historyEvents(fixture), $metadata: {} };
}

export const lambdaContext = lambdaContextFor("record-failure");
