import { TASK_STATES } from "../../statemachines/ingest-states";
import { performance } from "node:perf_hooks";
import { MEDIA, WorkflowRunner, type FunctionFolder } from "../runner/runner";
import type { Execution } from "../runner/workflow";
import { correlationIdFor } from "../../functions/shared/contract/correlation-id";
import { applyFaults, BENCH_FAULTS, faultTally, type FaultTally } from "../runner/faults";
import { measureWeights, printWeights, type Weight } from "./weight";

/**
 * Burst benchmark (issue #4): N uploads at once through the local workflow runner, MediaConvert
 * throttled at 20 CreateJob/s with 50 jobs running at a time, then the figures that matter per title,
 * and each handler's weight: bundle size and cold init next to its SDK clients and commands alone (./weight.ts).
 *
 * Time: the runner's virtual clock. Waiting costs no wall time, so the Retry intervals, the CreateJob
 * quota and the reconciler schedule stay as deployed; only the transcode is shortened (--job-seconds).
 * `--compress F` divides every service-side duration (transcodes, Retry waits, the quota's window) by F
 * for those who want the proportions of a compressed real-time run. Wall time is what the pipeline's
 * code, the fakes and DynamoDB (dynalite) cost.
 *
 * Usage: npm run bench [-- --titles 1000 --create-job-per-second 20 --create-job-rate 20 --admission-concurrency 2 --concurrent-jobs 50
 *        --job-seconds 90 --compress 1 --seed 1 --faults --skip-bundles --strict]
 * `--faults` turns on test/runner/faults.ts's BENCH_FAULTS as the burst starts: 5 % CreateJob 500s (half
 * after creating the job), 1 % of MediaConvert events lost, 5 % of upload events delivered twice, and a
 * 10-minute MediaPackage outage from minute 5.
 */

interface BenchOptions {
  readonly titles: number;
  readonly createJobPerSecond: number;
  /** Admission's `createJobRate` (default: the stand-in's CreateJob limit, as an operator would set it). */
  readonly createJobRate: number;
  readonly admissionConcurrency: number;
  readonly concurrentJobs: number;
  readonly jobSeconds: number;
  readonly compress: number;
  readonly seed: number;
  readonly skipBundles: boolean;
  readonly faults: boolean;
  /** Exit non-zero when a target (transitions, invocations, size, init) is missed, not only on lost titles. */
  readonly strict: boolean;
}

const TARGETS = { transitions: 8, criticalPathInvocations: 3.1 };
/** Fresh imports per bundle for the weight table (test/bench/weight.ts). */
const INIT_RUNS = 10;

function parseOptions(argv: readonly string[]): BenchOptions {
  const value = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got ${argv[i + 1]}`);
    return n;
  };
  return {
    titles: value("--titles", 1000),
    createJobPerSecond: value("--create-job-per-second", 20),
    createJobRate: value("--create-job-rate", value("--create-job-per-second", 20)),
    admissionConcurrency: value("--admission-concurrency", 2),
    concurrentJobs: value("--concurrent-jobs", 50),
    jobSeconds: value("--job-seconds", 90),
    compress: value("--compress", 1),
    seed: value("--seed", 1),
    skipBundles: argv.includes("--skip-bundles"),
    faults: argv.includes("--faults"),
    strict: argv.includes("--strict"),
  };
}

interface BurstFigures {
  readonly titles: number;
  readonly published: number;
  readonly lost: number;
  readonly duplicateJobs: number;
  /** MediaPackage assets created more than once for one title revision (an asset id is one revision's). */
  readonly duplicateAssets: number;
  /**
   * Refused calls per service and API: the TooManyRequestsException (429) answers of the stand-ins that
   * model a request limit (DynamoDB is dynalite, which never throttles; Step Functions and SQS are not limited).
   */
  readonly throttled: Readonly<Record<string, number>>;
  /** What the fault profile did (undefined without --faults). */
  readonly faults?: FaultTally;
  /** States entered per title (what the definition costs), and with every Retry attempt counted (as billed). */
  readonly statesEntered: Stats;
  readonly transitions: Stats;
  /** Critical-path invocations per title: one per Lambda state entered, and with retries. */
  readonly criticalPathFirstAttempts: Stats;
  readonly criticalPath: Stats;
  /** The most retries one title's "Transcode To CMAF" used, and the retrier's MaxAttempts. */
  readonly transcodeRetriesMax: number;
  readonly transcodeMaxAttempts: number;
  readonly eventDriven: Stats;
  readonly reconcilerRuns: number;
  /** Reconciler runs by outcome ("success", or the error type of a failed run). */
  readonly reconcilerOutcomes: Readonly<Record<string, number>>;
  readonly throttledCreateJobs: number;
  readonly taskRetries: number;
  readonly invocations: Partial<Record<FunctionFolder, number>>;
  readonly wallMs: number;
  readonly simulatedMs: number;
  /** Upload to the last title published ÷ (titles × job time ÷ slots), the capacity floor. */
  readonly drainOverFloor: number;
  /** Executions that did not succeed, by status, error and the state they ended in. */
  readonly failures: Readonly<Record<string, number>>;
  /** The first few failed executions' waits and jobs, seconds after the burst: why they failed. */
  readonly failureTimelines: readonly string[];
  readonly peakRssBytes: number;
}

interface Stats {
  readonly mean: number;
  readonly max: number;
}

async function burst(options: BenchOptions): Promise<BurstFigures> {
  const runner = await WorkflowRunner.start({
    seed: options.seed,
    retryTimeScale: 1 / options.compress,
    admission: { createJobRate: options.createJobRate, concurrency: options.admissionConcurrency },
    mediaConvert: {
      createJobPerSecond: options.createJobPerSecond,
      createJobWindowMs: 1000 / options.compress,
      concurrentJobs: options.concurrentJobs,
      fixedTranscodeMs: (options.jobSeconds * 1000) / options.compress,
    },
  });
  try {
    const startedAt = runner.clock.now();
    const wallStart = performance.now();
    // The mocks' call logs grow with every call and nothing reads them: dropped every simulated minute.
    const forget = () => {
      runner.forgetCallHistory();
      runner.clock.schedule(60_000, forget, { background: true, label: "bench: forget call history" });
    };
    forget();
    if (options.faults) applyFaults(runner, BENCH_FAULTS);
    const uploads = Array.from({ length: options.titles }, (_, i) =>
      runner.upload(`burst/${String(i).padStart(4, "0")} lecture.mp4`, { media: MEDIA.talk1080p }),
    );
    await runner.settle();
    const wallMs = performance.now() - wallStart;

    const rows = new Map((await runner.rows()).map((row) => [row.assetId, row]));
    let published = 0;
    let duplicateJobs = 0;
    const transitions: number[] = [];
    const statesEntered: number[] = [];
    const criticalPath: number[] = [];
    const criticalPathFirstAttempts: number[] = [];
    let transcodeRetriesMax = 0;
    const eventDriven: number[] = [];
    let taskRetries = 0;
    // One pass each over executions, jobs and invocations (per-title look-ups would be quadratic).
    const claiming = new Map<string, Execution>();
    for (const execution of runner.executions()) {
      if (!execution.entries.some((s) => s.name === TASK_STATES.transcode)) continue;
      const input = JSON.parse(execution.input) as { detail: { object: { "version-id": string } } };
      claiming.set(input.detail.object["version-id"], execution);
    }
    const jobsPerAsset = new Map<string, number>();
    for (const job of runner.mediaConvert.jobs.values()) {
      const assetId = job.request.UserMetadata?.assetId ?? "";
      jobsPerAsset.set(assetId, (jobsPerAsset.get(assetId) ?? 0) + 1);
    }
    const allMetrics = runner.metricsOf([...claiming.values()]);
    for (const upload of uploads) {
      const row = rows.get(upload.assetId);
      if (row?.status === "PUBLISHED" && row.revision === upload.revision) published++;
      duplicateJobs += Math.max(0, (jobsPerAsset.get(upload.assetId) ?? 0) - 1);
      const execution = claiming.get(upload.versionId);
      if (!execution) continue;
      const metrics = allMetrics.get(execution.executionArn)!;
      transitions.push(metrics.transitions);
      statesEntered.push(execution.entries.length);
      criticalPath.push(sum(Object.values(metrics.workflowInvocations)));
      criticalPathFirstAttempts.push(execution.entries.filter((e) => LAMBDA_STATES.includes(e.name)).length);
      transcodeRetriesMax = Math.max(
        transcodeRetriesMax,
        ...execution.entriesOf(TASK_STATES.transcode).map((e) => e.retries),
      );
      eventDriven.push(sum(Object.values(metrics.eventInvocations)));
      taskRetries += execution.entries.reduce((n, e) => n + e.retries, 0);
    }
    const assetCreations = new Map<string, number>();
    for (const call of runner.mediaPackage.createAssetCalls) {
      if (call.result !== "created") continue;
      assetCreations.set(call.input.Id ?? "", (assetCreations.get(call.input.Id ?? "") ?? 0) + 1);
    }
    const duplicateAssets = sum([...assetCreations.values()].map((n) => n - 1));
    const throttledOf = (calls: readonly { result: string }[]) =>
      calls.filter((c) => c.result === "TooManyRequestsException").length;
    const throttled = {
      "MediaConvert CreateJob": throttledOf(runner.mediaConvert.createJobCalls),
      "MediaConvert ListJobs": throttledOf(runner.mediaConvert.listJobsCalls),
      "MediaPackage CreateAsset": throttledOf(runner.mediaPackage.createAssetCalls),
    };
    const invocations = runner.invocationCounts();
    // Why titles did not publish: failed executions by error and state.
    const failures = new Map<string, number>();
    const failureTimelines: string[] = [];
    const failed = runner.executions().filter((e) => e.status !== "SUCCEEDED" && e.status !== "RUNNING");
    const ledger = failed.length
      ? new Map((await runner.ledger()).map((item) => [item.pk, item]))
      : new Map();
    for (const execution of runner.executions()) {
      if (execution.status === "SUCCEEDED" || execution.status === "RUNNING") continue;
      const key = `${execution.status} ${execution.error ?? "?"} at "${execution.lastEntry?.name ?? "?"}"`;
      failures.set(key, (failures.get(key) ?? 0) + 1);
      if (failureTimelines.length < 5) failureTimelines.push(timeline(runner, execution, startedAt, ledger));
    }
    const lastPublishedAt = Math.max(
      ...runner.executions().map((e) => (e.status === "SUCCEEDED" ? (e.stopDate ?? 0) : 0)),
    );
    return {
      titles: options.titles,
      published,
      lost: options.titles - published,
      duplicateJobs,
      duplicateAssets,
      throttled,
      faults: options.faults ? faultTally(runner) : undefined,
      statesEntered: stats(statesEntered),
      transitions: stats(transitions),
      criticalPathFirstAttempts: stats(criticalPathFirstAttempts),
      criticalPath: stats(criticalPath),
      transcodeRetriesMax,
      transcodeMaxAttempts: maxAttempts(runner, TASK_STATES.transcode),
      eventDriven: stats(eventDriven),
      reconcilerRuns: invocations["reconcile-jobs"] ?? 0,
      reconcilerOutcomes: tally(
        runner.lambda.invocations
          .filter((i) => i.functionName === runner.functionName("reconcile-jobs"))
          .map((i) => (i.outcome === "error" ? (i.errorType ?? "error") : (i.outcome ?? "running"))),
      ),
      throttledCreateJobs: runner.mediaConvert.createJobCalls.filter(
        (c) => c.result === "TooManyRequestsException",
      ).length,
      taskRetries,
      invocations,
      wallMs,
      simulatedMs: runner.clock.now() - startedAt,
      failures: Object.fromEntries(failures),
      failureTimelines,
      drainOverFloor:
        (lastPublishedAt - startedAt) /
        ((options.titles * options.jobSeconds * 1000) / options.compress / options.concurrentJobs),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await runner.stop();
    await WorkflowRunner.shutdown();
  }
}

function report(options: BenchOptions, figures: BurstFigures, weights: readonly Weight[]): boolean {
  const checks: boolean[] = [];
  const mark = (ok: boolean) => {
    checks.push(ok);
    return ok ? "ok" : "MISSED";
  };
  const correct =
    figures.published === figures.titles &&
    figures.lost === 0 &&
    figures.duplicateJobs === 0 &&
    figures.duplicateAssets === 0;
  console.log("");
  console.log(
    "(Any SDK 'socket usage at capacity' warning above comes from running every invocation in one process, " +
      "sharing one module-scoped client; one Lambda container serves one invocation at a time.)",
  );
  console.log(
    `Burst: ${figures.titles} uploads at once; MediaConvert ${options.createJobPerSecond} CreateJob/s, ` +
      `${options.concurrentJobs} concurrent jobs, ${options.jobSeconds / options.compress} s per job; ` +
      `admission ${options.createJobRate} CreateJob/s over ${options.admissionConcurrency} submitters; ` +
      `Retry waits x${(1 / options.compress).toFixed(2)} (virtual clock, seed ${options.seed})`,
  );
  if (figures.faults) {
    const f = figures.faults;
    console.log(
      `Faults (--faults): ${f.createJobServerErrors} CreateJob 500s (${f.createJobServerErrorsAfterCreate} after creating the job), ` +
        `${f.lostJobEvents} MediaConvert events lost, ${f.duplicatedUploadEvents} upload events delivered twice, ` +
        `${f.packagingOutageRefusals} MediaPackage calls refused during the ${BENCH_FAULTS.packagingOutage.minutes}-minute outage`,
    );
  }
  table(
    ["figure", "value", "target", ""],
    [
      [
        "published / lost / duplicate jobs / duplicate assets",
        `${figures.published} / ${figures.lost} / ${figures.duplicateJobs} / ${figures.duplicateAssets}`,
        `${figures.titles} / 0 / 0 / 0`,
        correct ? "ok" : "FAILED",
      ],
      [
        "state transitions per title, states entered (mean / max)",
        `${fmt(figures.statesEntered.mean)} / ${figures.statesEntered.max}`,
        `<= ${TARGETS.transitions}`,
        mark(figures.statesEntered.max <= TARGETS.transitions),
      ],
      [
        "  ... billed, with every Retry attempt (mean / max)",
        `${fmt(figures.transitions.mean)} / ${figures.transitions.max}`,
        `<= ${TARGETS.transitions}`,
        mark(figures.transitions.max <= TARGETS.transitions),
      ],
      [
        "critical-path Lambda invocations per title (mean / max)",
        `${fmt(figures.criticalPathFirstAttempts.mean)} / ${figures.criticalPathFirstAttempts.max}`,
        `<= ${TARGETS.criticalPathInvocations}`,
        mark(figures.criticalPathFirstAttempts.max <= TARGETS.criticalPathInvocations),
      ],
      [
        "  ... with Retry attempts (mean / max)",
        `${fmt(figures.criticalPath.mean)} / ${figures.criticalPath.max}`,
        `<= ${TARGETS.criticalPathInvocations}`,
        mark(figures.criticalPath.max <= TARGETS.criticalPathInvocations),
      ],
      [
        '"Transcode To CMAF" retries: most any title used / MaxAttempts',
        `${figures.transcodeRetriesMax} / ${figures.transcodeMaxAttempts}`,
        "",
        figures.transcodeRetriesMax >= figures.transcodeMaxAttempts - 1 ? "little headroom" : "",
      ],
      [
        "event-driven Lambda invocations per title (mean / max)",
        `${fmt(figures.eventDriven.mean)} / ${figures.eventDriven.max}`,
        "",
        "",
      ],
      [
        "reconciler runs (whole burst)",
        `${figures.reconcilerRuns} (${Object.entries(figures.reconcilerOutcomes)
          .map(([outcome, n]) => `${outcome} ${n}`)
          .join(", ")})`,
        "",
        "",
      ],
      [
        "throttled calls (429) by service",
        Object.entries(figures.throttled)
          .map(([api, n]) => `${api} ${n}`)
          .join(", "),
        "",
        "",
      ],
      [
        "throttled CreateJob calls / Task retries",
        `${figures.throttledCreateJobs} / ${figures.taskRetries}`,
        "",
        "",
      ],
      [
        "drain time ÷ capacity floor (titles × job time ÷ slots)",
        figures.drainOverFloor.toFixed(3),
        "<= 1.04",
        "",
      ],
      ["simulated time", duration(figures.simulatedMs), "", ""],
      ["peak memory (RSS)", `${(figures.peakRssBytes / 1e9).toFixed(2)} GB`, "", ""],
      ["wall time", duration(figures.wallMs), "", ""],
    ],
  );
  console.log("");
  if (weights.length > 0) mark(printWeights(weights, figures.invocations));
  else console.log("handler weight: skipped (--skip-bundles)");
  for (const [failure, count] of Object.entries(figures.failures))
    console.log(`unpublished: ${count} execution(s) ${failure}`);
  for (const line of figures.failureTimelines) console.log(`  e.g. ${line}`);
  console.log("");
  const targetsMet = checks.every(Boolean);
  console.log(
    `${correct ? "PASS" : "FAIL"}: ${figures.published}/${figures.titles} published, ${figures.lost} lost, ` +
      `${figures.duplicateJobs} duplicate jobs, ${figures.duplicateAssets} duplicate assets; targets ${targetsMet ? "all met" : "MISSED (see above)"}`,
  );
  return correct && (targetsMet || !options.strict);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

function stats(values: readonly number[]): Stats {
  return {
    mean: values.length ? sum(values) / values.length : 0,
    max: values.length ? Math.max(...values) : 0,
  };
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function sum(values: readonly (number | undefined)[]): number {
  return values.reduce<number>((total, v) => total + (v ?? 0), 0);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const weights = options.skipBundles ? [] : await measureWeights(INIT_RUNS);
  const figures = await burst(options);
  const ok = report(options, figures, weights);
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/** The Lambda Task states of the ingest definition (the critical path). */
const LAMBDA_STATES: readonly string[] = [
  TASK_STATES.claimUpload,
  TASK_STATES.transcode,
  TASK_STATES.register,
];

/** One failed execution in a line: its token waits (opened, heartbeats, closed) and its jobs, in seconds after the burst. */
function timeline(
  runner: WorkflowRunner,
  execution: Execution,
  startedAt: number,
  ledger: ReadonlyMap<unknown, Record<string, unknown>>,
): string {
  const at = (ms: number | undefined) =>
    ms === undefined ? "-" : `${((ms - startedAt) / 1000).toFixed(0)} s`;
  // The first attempt's task item: whether the reconciler could still find it, and with which token.
  const task = ledger.get(`task#${correlationIdFor(execution.executionArn, 0)}`);
  const taskItem = (token: string) =>
    task
      ? `ledger task waiting=${String(task.waiting)} outcome=${String(task.outcome)}, ` +
        `${task.taskToken === token ? "this" : "another"} token`
      : "no ledger task";
  const waits = runner.tokens
    .waitsOf(execution.executionArn)
    .map(
      (w) =>
        `${w.stateName} opened ${at(w.openedAt)}, ${w.heartbeats} heartbeat(s), last ${at(w.lastHeartbeatAt)}, ` +
        `closed ${at(w.closedAt)} (${w.end?.kind ?? w.status}), ${taskItem(w.token)}`,
    );
  const jobs = runner
    .jobsOfExecution(execution.executionArn)
    .map(
      (job) =>
        `job ${job.id} ${job.status} created ${at(job.createdAt)} started ${at(job.startedAt)} finished ${at(job.finishedAt)}`,
    );
  return `${execution.executionArn.split(":").pop()} started ${at(execution.startDate)}: ${[...waits, ...(jobs.length ? jobs : ["no job"])].join("; ")}`;
}

function maxAttempts(runner: WorkflowRunner, state: string): number {
  const retriers =
    (runner.workflow.definition.States[state] as { Retry?: { MaxAttempts?: number }[] }).Retry ?? [];
  return Math.max(0, ...retriers.map((r) => r.MaxAttempts ?? 3));
}
