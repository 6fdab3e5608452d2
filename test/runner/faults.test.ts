import { jestSystemTime, WorkflowRunner } from ".";
import type { EventBridgeEvent } from "./events";

/** The fault controls behind the bench's `--faults` profile (test/runner/faults.ts). */
describe("runner fault controls", () => {
  let runner: WorkflowRunner;

  beforeEach(async () => {
    runner = await WorkflowRunner.start({
      systemTime: jestSystemTime(jest),
      reconcileIntervalMinutes: false,
    });
  });
  afterEach(() => runner.stop());
  afterAll(() => WorkflowRunner.shutdown());

  function describeAnswer(): string {
    try {
      runner.mediaPackage.describeAsset({ Id: "missing" });
      return "200";
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      return `${e.$metadata?.httpStatusCode} ${e.name}`;
    }
  }

  it("refuses every MediaPackage call with a 503 during an outage, and only then", async () => {
    // Prepare: down from one minute from now, for one minute.
    const now = runner.clock.now();
    runner.mediaPackage.outage(now + 60_000, now + 120_000);

    // Act
    const before = describeAnswer();
    await runner.advance(60_000);
    const during = describeAnswer();
    await runner.advance(60_000);
    const after = describeAnswer();

    // Assess
    expect([before, during, after]).toEqual([
      "404 NotFoundException",
      "503 ServiceUnavailableException",
      "404 NotFoundException",
    ]);
    expect(runner.mediaPackage.outageRefusals).toBe(1);
  });

  it("loses or duplicates about the given share of matching events, and leaves the others alone", async () => {
    // Prepare: a rule that counts deliveries per event id; 20 % of "test" events lost, 30 % of "dup" ones twice.
    const deliveries = new Map<string, number>();
    runner.bus.addRule({
      name: "count",
      pattern: { source: ["test"] },
      deliver: (event) => void deliveries.set(event.id, (deliveries.get(event.id) ?? 0) + 1),
    });
    runner.bus.interfereWithShare((e) => e["detail-type"] === "lose", "lose", 0.2);
    runner.bus.interfereWithShare((e) => e["detail-type"] === "dup", "duplicate", 0.3);
    const event = (id: string, detailType: string): EventBridgeEvent =>
      ({
        version: "0",
        id,
        "detail-type": detailType,
        source: "test",
        account: "1",
        time: "",
        region: "",
        resources: [],
        detail: {},
      }) as EventBridgeEvent;

    // Act
    for (let i = 0; i < 1000; i++) runner.bus.put(event(`l${i}`, "lose"));
    for (let i = 0; i < 1000; i++) runner.bus.put(event(`d${i}`, "dup"));
    for (let i = 0; i < 100; i++) runner.bus.put(event(`k${i}`, "keep"));
    await runner.settle();

    // Assess
    const count = (prefix: string, times: number) =>
      [...deliveries].filter(([id, n]) => id.startsWith(prefix) && n === times).length;
    expect(1000 - count("l", 1)).toBeGreaterThan(150);
    expect(1000 - count("l", 1)).toBeLessThan(250);
    expect(count("d", 2)).toBeGreaterThan(250);
    expect(count("d", 2)).toBeLessThan(350);
    expect(count("k", 1)).toBe(100);
  });
});
