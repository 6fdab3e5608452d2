import asl from "./ingest.asl.json";
import { FLOW_STATES, TASK_STATES } from "./ingest-states";

describe("ingest state names", () => {
  it("names every Task state of ingest.asl.json, and only those", () => {
    // Prepare
    const tasks = Object.entries(asl.States as Record<string, { Type: string }>)
      .filter(([, state]) => state.Type === "Task")
      .map(([name]) => name);

    // Assess
    expect(Object.values(TASK_STATES).sort()).toEqual(tasks.sort());
  });

  it("names every other state of ingest.asl.json, and only those", () => {
    // Prepare
    const others = Object.entries(asl.States as Record<string, { Type: string }>)
      .filter(([, state]) => state.Type !== "Task")
      .map(([name]) => name);

    // Assess
    expect(Object.values(FLOW_STATES).sort()).toEqual(others.sort());
  });
});
