import {
  BadRequestException,
  ForbiddenException,
  InternalServerErrorException,
  NotFoundException,
  TooManyRequestsException,
  UnprocessableEntityException,
  type CreateJobCommandInput,
  type CreateJobCommandOutput,
  type GetJobCommandInput,
  type GetJobCommandOutput,
  type Job,
  type ListJobsCommandInput,
  type ListJobsCommandOutput,
  type Output,
  type OutputGroup,
  type ProbeCommandInput,
  type ProbeCommandOutput,
  type ProbeResult,
} from "@aws-sdk/client-mediaconvert";
import {
  fitsCodec,
  MAX_DIMENSION_PX,
  maximumFor,
  MIN_DIMENSION_PX,
} from "../../../functions/shared/media/codec-limits";
import { ACCOUNT, mediaConvertJobId, PARTITION, REGION, viaJson, type Random } from "../aws";
import { tagProblem } from "../../../functions/shared/contract/tags";
import type { Clock, TimerHandle } from "../clock";
import { jobStateChangeEvent, type JobStateChangeDetail, type JobStateChangeEvent } from "../events";
import { currentInvocation, type InvocationTag } from "../lambda";
import type { MediaFacts, S3Fake, StoredVersion } from "./s3";

/** What a job will do once it leaves the queue. */
export type JobScript =
  | { readonly outcome: "COMPLETE"; readonly transcodeMs?: number }
  /** ERROR with MediaConvert's numeric code and message, when `atPercent` of the job is done (default 10). */
  | {
      readonly outcome: "ERROR";
      readonly errorCode: number;
      readonly errorMessage: string;
      readonly atPercent?: number;
    }
  /**
   * PROGRESSING forever, progress stuck at `atPercent` (default 37). `statusUpdates: "frozen"` keeps
   * sending STATUS_UPDATE events with the stuck percentage; `"none"` (default) goes silent.
   */
  | { readonly outcome: "HANG"; readonly atPercent?: number; readonly statusUpdates?: "none" | "frozen" }
  | { readonly outcome: "CANCELED"; readonly atPercent?: number }
  /**
   * Looks hung (progress stuck at `atPercent`, default 37, no events) for `stallMs`, then carries on
   * and completes: a job that was slow, not dead.
   */
  | { readonly outcome: "STALL"; readonly stallMs: number; readonly atPercent?: number };

export interface MediaConvertOptions {
  /** The on-demand queue jobs go to (CreateJob `Queue`). */
  readonly queueArn: string;
  /** CreateJob requests accepted per second (sliding window); more are TooManyRequestsException. Default: unlimited. */
  readonly createJobPerSecond?: number;
  /** The window `createJobPerSecond` counts in (default 1000 ms; shorter when a bench compresses time). */
  readonly createJobWindowMs?: number;
  /** Jobs the queue runs at once; the rest wait SUBMITTED (no events). Default 20. */
  readonly concurrentJobs?: number;
  /**
   * Tags every CreateJob must carry with these values (the stack's tags, shared/contract/tags.ts);
   * a job without them is refused as a tag-enforcing service control policy would. Default: none.
   */
  readonly requiredTags?: Readonly<Record<string, string>>;
  /** Transcode speed as a multiple of real time (default 4: a 60 s source takes 15 s). */
  readonly transcodeSpeed?: number;
  /** Shortest transcode, ms (default 20 s). */
  readonly minTranscodeMs?: number;
  /** Lower bound on a job's duration whatever its source (for compressing a burst); overrides the speed. */
  readonly fixedTranscodeMs?: number;
  /** Random 500s on CreateJob (a bench's fault profile): see {@link ServerErrorFaults}. Default: none. */
  readonly createJobServerErrors?: ServerErrorFaults;
}

/**
 * CreateJob answering InternalServerErrorException (500, one of the errors the API reference lists:
 * https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html#jobspost): `share` of the
 * accepted calls fail, and `afterCreateShare` of those fail *after* the job was created — the caller
 * cannot tell the two apart, which is what makes the retry's idempotency matter.
 */
export interface ServerErrorFaults {
  readonly share: number;
  readonly afterCreateShare: number;
}

/** MediaConvertOptions with the defaults filled in, changeable while a scenario runs. */
export interface MediaConvertSettings {
  queueArn: string;
  createJobPerSecond?: number;
  createJobWindowMs: number;
  concurrentJobs: number;
  requiredTags: Readonly<Record<string, string>>;
  transcodeSpeed: number;
  minTranscodeMs: number;
  fixedTranscodeMs?: number;
  createJobServerErrors?: ServerErrorFaults;
}

export interface FakeJob {
  readonly id: string;
  readonly arn: string;
  readonly request: CreateJobCommandInput;
  readonly createdAt: number;
  /** The invocation that called CreateJob (undefined for jobs created by `foreignJob`). */
  readonly createdBy?: InvocationTag;
  readonly script: JobScript;
  status: "SUBMITTED" | "PROGRESSING" | "COMPLETE" | "ERROR" | "CANCELED";
  startedAt?: number;
  /**
   * The S3 version the job read when it started: the key's current one, as MediaConvert's `FileInput`
   * names a key, never a version (shared/media/source-version.ts).
   */
  readVersionId?: string;
  finishedAt?: number;
  transcodeMs: number;
  /** Where progress is counted from (the start, moved on by a stall). */
  progressOrigin?: number;
  frozenPercent?: number;
  errorCode?: number;
  errorMessage?: string;
  outputGroupDetails?: OutputGroupDetail[];
  readonly timers: TimerHandle[];
  /** Events this job emitted, in order. */
  readonly events: JobStateChangeEvent[];
}

interface OutputDetail {
  outputFilePaths?: string[];
  durationInMs: number;
  videoDetails?: { widthInPx: number; heightInPx: number };
}

interface OutputGroupDetail {
  type: "CMAF_GROUP" | "HLS_GROUP" | "FILE_GROUP" | "DASH_ISO_GROUP";
  outputDetails: OutputDetail[];
  playlistFilePaths?: string[];
}

/** "SECONDS_60" → 60 000 ms. */
function statusIntervalMs(interval: string | undefined): number {
  const seconds = Number(/^SECONDS_(\d+)$/.exec(interval ?? "")?.[1] ?? 60);
  return seconds * 1000;
}

/** How long ClientRequestToken deduplicates: "within one minute of a successful request" (apireference/idempotency.html). */
const IDEMPOTENCY_WINDOW_MS = 60_000;

/**
 * AWS Elemental MediaConvert for the calls the pipeline makes.
 *
 * - Probe describes the stored object's simulated media (container, tracks, metadata); a file it
 *   does not recognise has no format and no tracks, a corrupt one is UnprocessableEntityException.
 * - CreateJob validates what MediaConvert validates up front (role, queue, inputs, userMetadata
 *   limits, even output sizes), and refuses (400) a picture beyond its codec's maximum and a CMAF
 *   fragment that is not a whole number of GOPs (checkPictureSize, checkFragmentLength: stricter than
 *   the service where it accepts a job that cannot play), is idempotent on ClientRequestToken for one minute, can be throttled
 *   at N requests/s or on demand (TooManyRequestsException, 429), and can answer a share of calls
 *   with InternalServerErrorException (500), some after creating the job (`createJobServerErrors`).
 * - The queue runs `concurrentJobs` at once; the others wait SUBMITTED, silently. A running job emits
 *   PROGRESSING, INPUT_INFORMATION, STATUS_UPDATE every StatusUpdateInterval, then COMPLETE (with
 *   outputGroupDetails as the docs show them, and its outputs written to S3), ERROR (numeric code),
 *   CANCELED, or nothing more (HANG). Events go to the EventBridge bus.
 * - GetJob returns the job as the API does (no file paths in OutputGroupDetails); ListJobs pages
 *   through a queue's jobs, newest first.
 * Not modelled: job templates, presets, queue hopping, accelerated transcoding, the 48-hour limit.
 */
export class MediaConvertFake {
  readonly jobs = new Map<string, FakeJob>();
  private readonly tokens = new Map<string, { jobId: string; at: number }>();
  private readonly accepted: number[] = [];
  private readonly queue: FakeJob[] = [];
  private running = 0;
  private throttleRemaining = 0;
  private lostResponses = 0;
  private readonly scripts: JobScript[] = [];
  private defaultScript: JobScript = { outcome: "COMPLETE" };
  /** Every CreateJob call: what was asked, and what came of it. */
  readonly createJobCalls: {
    input: CreateJobCommandInput;
    at: number;
    result: string;
    by?: InvocationTag;
  }[] = [];
  readonly probeCalls: ProbeCommandInput[] = [];
  readonly getJobCalls: GetJobCommandInput[] = [];
  readonly listJobsCalls: { input: ListJobsCommandInput; at: number; result: string }[] = [];
  /** The settings in force; a scenario may change them while the clock runs. */
  options: MediaConvertSettings;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly s3: S3Fake,
    private readonly publish: (event: JobStateChangeEvent) => void,
    options: MediaConvertOptions,
  ) {
    this.options = {
      concurrentJobs: 20,
      requiredTags: {},
      transcodeSpeed: 4,
      minTranscodeMs: 20_000,
      createJobWindowMs: 1000,
      ...options,
    };
  }

  /** The next `count` CreateJob or ListJobs calls fail with TooManyRequestsException. */
  throttleNext(count: number): void {
    this.throttleRemaining += count;
  }

  /**
   * The next `count` CreateJob calls create their job, but the caller never hears back (the SDK sees
   * a timeout): the case ClientRequestToken exists for.
   */
  loseNextCreateJobResponse(count = 1): void {
    this.lostResponses += count;
  }

  /** The next `count` jobs created follow `script` (then the default again). */
  scriptNext(script: JobScript, count = 1): void {
    for (let i = 0; i < count; i++) this.scripts.push(script);
  }

  /** What jobs do when nothing was scripted for them. */
  setDefaultScript(script: JobScript): void {
    this.defaultScript = script;
  }

  /** Jobs (not foreign ones) created for the asset whose userMetadata names it. */
  jobsWhere(predicate: (job: FakeJob) => boolean): FakeJob[] {
    return [...this.jobs.values()].filter(predicate);
  }

  // ---- API -------------------------------------------------------------------------------------

  /** https://docs.aws.amazon.com/mediaconvert/latest/apireference/probe.html */
  probe(input: ProbeCommandInput): ProbeCommandOutput {
    this.probeCalls.push(input);
    const files = input.InputFiles ?? [];
    if (files.length === 0) throw badRequest("InputFiles must list at least one file");
    const results = files.map((file): ProbeResult => {
      const stored = this.readInput(file.FileUrl);
      if (stored === undefined) {
        throw new NotFoundException({
          message: `The input file ${file.FileUrl} was not found`,
          $metadata: meta(404),
        });
      }
      const metadata = {
        ETag: stored.etag,
        FileSize: stored.size,
        LastModified: stored.lastModified,
        MimeType: stored.contentType,
      };
      if (stored.content.kind === "corrupt") {
        throw new UnprocessableEntityException({
          message: `The file ${file.FileUrl} is recognized but malformed or corrupt.`,
          $metadata: meta(422),
        });
      }
      if (stored.content.kind !== "media")
        return { Container: { Tracks: [] }, Metadata: metadata, TrackMappings: [] };
      return probeResult(stored.content.media, metadata);
    });
    return { $metadata: meta(200), ProbeResults: results };
  }

  /** https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html#jobspost */
  createJob(input: CreateJobCommandInput): CreateJobCommandOutput {
    const by = currentInvocation();
    const now = this.clock.now();
    const record = (result: string) => this.createJobCalls.push({ input, at: now, result, by });
    if (this.throttleRemaining > 0) {
      this.throttleRemaining--;
      record("TooManyRequestsException");
      throw tooManyRequests();
    }
    while (this.accepted.length > 0 && this.accepted[0]! <= now - this.options.createJobWindowMs)
      this.accepted.shift();
    if (
      this.options.createJobPerSecond !== undefined &&
      this.accepted.length >= this.options.createJobPerSecond
    ) {
      record("TooManyRequestsException");
      throw tooManyRequests();
    }
    this.accepted.push(now);
    const serverError = this.drawServerError();
    if (serverError === "before-create") {
      record("InternalServerErrorException");
      throw internalServerError();
    }

    const token = input.ClientRequestToken;
    if (token !== undefined) {
      if (!/^[\x20-\x7e]{1,64}$/.test(token))
        throw badRequest("clientRequestToken: up to 64 ASCII characters");
      const seen = this.tokens.get(token);
      if (seen && now - seen.at < IDEMPOTENCY_WINDOW_MS) {
        record(`idempotent:${seen.jobId}`);
        return { $metadata: meta(201), Job: this.jobView(this.jobs.get(seen.jobId)!) };
      }
    }
    try {
      this.validate(input);
    } catch (error) {
      record((error as Error).name);
      throw error;
    }
    const job = this.enqueue(input, by);
    if (token !== undefined) this.tokens.set(token, { jobId: job.id, at: now });
    if (serverError === "after-create") {
      record(`created:${job.id}:InternalServerErrorException`);
      throw internalServerError();
    }
    if (this.lostResponses > 0) {
      this.lostResponses--;
      record(`created:${job.id}:response-lost`);
      const lost = new Error("socket hang up: the CreateJob response never arrived");
      lost.name = "TimeoutError";
      throw lost;
    }
    record(`created:${job.id}`);
    return { $metadata: meta(201), Job: this.jobView(job) };
  }

  /** Whether this accepted CreateJob call fails with a 500 (before or after creating its job), per the fault profile. */
  private drawServerError(): "before-create" | "after-create" | undefined {
    const faults = this.options.createJobServerErrors;
    if (!faults || this.random.next() >= faults.share) return undefined;
    return this.random.next() < faults.afterCreateShare ? "after-create" : "before-create";
  }

  /** https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs-id.html */
  getJob(input: GetJobCommandInput): GetJobCommandOutput {
    this.getJobCalls.push(input);
    const job = this.jobs.get(input.Id ?? "");
    if (!job)
      throw new NotFoundException({ message: "The specified job was not found.", $metadata: meta(404) });
    return { $metadata: meta(200), Job: this.jobView(job) };
  }

  /**
   * Newest first by default (DESCENDING), at most 20 a page; `Queue` is a queue name.
   * https://docs.aws.amazon.com/mediaconvert/latest/apireference/jobs.html#jobsget
   */
  listJobs(input: ListJobsCommandInput): ListJobsCommandOutput {
    const record = (result: string) => this.listJobsCalls.push({ input, at: this.clock.now(), result });
    if (this.throttleRemaining > 0) {
      this.throttleRemaining--;
      record("TooManyRequestsException");
      throw tooManyRequests();
    }
    const pageSize = input.MaxResults ?? 20;
    if (pageSize < 1 || pageSize > 20) throw badRequest("maxResults: Should be between 1 and 20");
    const inQueue = [...this.jobs.values()].filter(
      (job) =>
        input.Queue === undefined ||
        (job.request.Queue ?? this.options.queueArn).endsWith(`:queues/${input.Queue}`),
    );
    const matching = inQueue.filter((job) => input.Status === undefined || job.status === input.Status);
    // Map order is creation order.
    const ordered = input.Order === "ASCENDING" ? matching : [...matching].reverse();
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (!Number.isInteger(start) || start < 0) throw badRequest("nextToken: invalid");
    const page = ordered.slice(start, start + pageSize);
    const next = start + pageSize < ordered.length ? String(start + pageSize) : undefined;
    record(`listed:${page.length}`);
    return { $metadata: meta(200), Jobs: page.map((job) => this.jobView(job)), NextToken: next };
  }

  /**
   * A job submitted by someone else in the same account (another stack, a console user): it runs in
   * the same queue and its events reach the same event bus.
   */
  foreignJob(
    userMetadata: Record<string, string>,
    inputUri: string,
    script: JobScript = { outcome: "COMPLETE" },
  ): FakeJob {
    const input: CreateJobCommandInput = {
      Role: `arn:${PARTITION}:iam::${ACCOUNT}:role/other-stack-mediaconvert`,
      Queue: this.options.queueArn,
      UserMetadata: userMetadata,
      Settings: {
        Inputs: [{ FileInput: inputUri }],
        OutputGroups: [
          {
            OutputGroupSettings: {
              Type: "CMAF_GROUP_SETTINGS",
              CmafGroupSettings: { Destination: "s3://other-stack-output/x/cmaf/index" },
            },
            Outputs: [{ NameModifier: "_720p", VideoDescription: { Width: 1280, Height: 720 } }],
          },
        ],
      },
    };
    this.scripts.unshift(script);
    return this.enqueue(input, undefined);
  }

  // ---- the queue and the job timeline ----------------------------------------------------------------

  private validate(input: CreateJobCommandInput): void {
    if (!input.Role || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(input.Role)) {
      throw badRequest("role: Required, must be an IAM role ARN");
    }
    if (
      input.Queue !== undefined &&
      input.Queue !== this.options.queueArn &&
      !input.Queue.endsWith("queues/Default")
    ) {
      throw new NotFoundException({ message: `Queue not found: ${input.Queue}`, $metadata: meta(404) });
    }
    this.checkTags(input.Tags);
    const metadata = Object.entries(input.UserMetadata ?? {});
    if (metadata.length > 10) throw badRequest("userMetadata: at most 10 entries");
    for (const [key, value] of metadata) {
      if (value.length > 256) throw badRequest(`userMetadata.${key}: value longer than 256 characters`);
    }
    const inputs = input.Settings?.Inputs ?? [];
    if (inputs.length === 0 || !inputs.every((i) => i.FileInput))
      throw badRequest("settings.inputs: Required");
    const groups = input.Settings?.OutputGroups ?? [];
    if (groups.length === 0) throw badRequest("settings.outputGroups: Required");
    const sourceRate = this.sourceFrameRate(inputs[0]?.FileInput);
    groups.forEach((group, g) => {
      (group.Outputs ?? []).forEach((output, o) =>
        checkPictureSize(output, `/outputGroups/${g}/outputs/${o}`),
      );
      checkFragmentLength(group, `/outputGroups/${g}`, sourceRate);
    });
    for (const group of groups) destinationOf(group);
  }

  /**
   * CreateJob `Tags`: refused (400) where MediaConvert refuses tags (AWS's tag limits), and (403)
   * without the stack's tags: the runner's stack requires them on every job, as an organization's
   * service control policy denying untagged creation (`aws:RequestTag/<key>`) would; billing by
   * stack depends on them (submit-job `createJobInput`).
   */
  private checkTags(tags: Readonly<Record<string, string>> | undefined): void {
    const problem = tagProblem(tags ?? {});
    if (problem !== undefined) throw badRequest(`tags: ${problem}`);
    for (const [key, value] of Object.entries(this.options.requiredTags)) {
      if (tags?.[key] !== value) {
        throw new ForbiddenException({
          message: `not authorized to perform mediaconvert:CreateJob with an explicit deny in a service control policy: tag "${key}" must be "${value}", got ${JSON.stringify(tags?.[key])}`,
          $metadata: meta(403),
        });
      }
    }
  }

  /** The frame rate an INITIALIZE_FROM_SOURCE output takes: the input's, as Probe reports it. */
  private sourceFrameRate(uri: string | undefined): FrameRateFraction | undefined {
    const stored = this.readInput(uri);
    if (stored?.content.kind !== "media") return undefined;
    return stored.content.media.frameRate ?? DEFAULT_FRAME_RATE;
  }

  private enqueue(input: CreateJobCommandInput, by: InvocationTag | undefined): FakeJob {
    const now = this.clock.now();
    const id = mediaConvertJobId(this.random, now);
    const job: FakeJob = {
      id,
      arn: `arn:${PARTITION}:mediaconvert:${REGION}:${ACCOUNT}:jobs/${id}`,
      request: viaJson(input),
      createdAt: now,
      createdBy: by,
      script: this.scripts.shift() ?? this.defaultScript,
      status: "SUBMITTED",
      transcodeMs: 0,
      timers: [],
      events: [],
    };
    this.jobs.set(id, job);
    this.queue.push(job);
    this.pump();
    return job;
  }

  /** Starts queued jobs while the queue has room (FIFO, by Priority then submission). */
  private pump(): void {
    this.queue.sort(
      (a, b) => (b.request.Priority ?? 0) - (a.request.Priority ?? 0) || a.createdAt - b.createdAt,
    );
    while (this.running < this.options.concurrentJobs && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      // A freed slot is taken a moment later, not in the same instant.
      job.timers.push(this.clock.schedule(1_000, () => this.start(job), { label: `start job ${job.id}` }));
    }
  }

  private start(job: FakeJob): void {
    const now = this.clock.now();
    job.status = "PROGRESSING";
    job.startedAt = now;
    const source = this.readInput(job.request.Settings?.Inputs?.[0]?.FileInput);
    job.readVersionId = source?.versionId;
    const media = source?.content.kind === "media" ? source.content.media : undefined;
    job.transcodeMs =
      (job.script.outcome === "COMPLETE" ? job.script.transcodeMs : undefined) ??
      this.options.fixedTranscodeMs ??
      Math.max(
        this.options.minTranscodeMs,
        Math.round((media?.durationMs ?? 0) / this.options.transcodeSpeed),
      );
    this.emit(job, "PROGRESSING", {});

    if (!media) {
      const uri = job.request.Settings?.Inputs?.[0]?.FileInput;
      const reason =
        source === undefined
          ? "Failed to read data: HeadObject failed"
          : "No parser found for container format.";
      this.at(job, 5_000, () =>
        this.fail(job, 1010, `Unable to open input file [${uri}]: [Failed probe/open: [${reason}]]`),
      );
      return;
    }
    this.at(job, 2_000, () =>
      this.emit(job, "INPUT_INFORMATION", { inputDetails: [inputDetails(job, media)] }),
    );

    const script = job.script;
    const endPercent =
      script.outcome === "COMPLETE"
        ? 100
        : script.outcome === "ERROR"
          ? (script.atPercent ?? 10)
          : (script.atPercent ?? 37);
    const endMs = Math.round((job.transcodeMs * endPercent) / 100);
    const interval = statusIntervalMs(job.request.StatusUpdateInterval);
    for (let t = interval; t < endMs; t += interval) {
      this.at(job, t, () => this.emit(job, "STATUS_UPDATE", statusUpdate(job, this.percent(job))));
    }
    switch (script.outcome) {
      case "COMPLETE":
        this.at(job, job.transcodeMs, () => this.complete(job, media));
        break;
      case "ERROR":
        this.at(job, endMs, () => this.fail(job, script.errorCode, script.errorMessage));
        break;
      case "CANCELED":
        this.at(job, endMs, () => this.finish(job, "CANCELED", {}));
        break;
      case "HANG":
        this.at(job, endMs, () => {
          job.frozenPercent = endPercent;
          if (script.statusUpdates === "frozen") this.frozenUpdates(job, interval);
        });
        break;
      case "STALL": {
        const resumeAt = endMs + script.stallMs;
        const remaining = job.transcodeMs - endMs;
        this.at(job, endMs, () => (job.frozenPercent = endPercent));
        this.at(job, resumeAt, () => {
          job.frozenPercent = undefined;
          job.progressOrigin = this.clock.now() - endMs;
        });
        for (let t = interval; t < remaining; t += interval) {
          this.at(job, resumeAt + t, () =>
            this.emit(job, "STATUS_UPDATE", statusUpdate(job, this.percent(job))),
          );
        }
        this.at(job, resumeAt + remaining, () => this.complete(job, media));
        break;
      }
    }
  }

  private frozenUpdates(job: FakeJob, interval: number): void {
    job.timers.push(
      this.clock.schedule(
        interval,
        () => {
          if (job.status !== "PROGRESSING") return;
          this.emit(job, "STATUS_UPDATE", statusUpdate(job, job.frozenPercent ?? 0));
          this.frozenUpdates(job, interval);
        },
        { background: true, label: `frozen STATUS_UPDATE ${job.id}` },
      ),
    );
  }

  private complete(job: FakeJob, media: MediaFacts): void {
    job.outputGroupDetails = (job.request.Settings?.OutputGroups ?? []).map((group) =>
      this.writeOutputs(job, group, media),
    );
    this.finish(job, "COMPLETE", {
      outputGroupDetails: job.outputGroupDetails,
      paddingInserted: 0,
      blackVideoDetected: 0,
      warnings: [],
    });
  }

  private fail(job: FakeJob, errorCode: number, errorMessage: string): void {
    job.errorCode = errorCode;
    job.errorMessage = errorMessage;
    this.finish(job, "ERROR", { errorCode, errorMessage });
  }

  private finish(
    job: FakeJob,
    status: "COMPLETE" | "ERROR" | "CANCELED",
    extra: Record<string, unknown>,
  ): void {
    job.status = status;
    job.finishedAt = this.clock.now();
    for (const timer of job.timers) this.clock.cancel(timer);
    this.emit(job, status, extra);
    this.running--;
    this.pump();
  }

  private at(job: FakeJob, afterStartMs: number, fn: () => void): void {
    job.timers.push(this.clock.schedule(afterStartMs, fn, { label: `job ${job.id} +${afterStartMs} ms` }));
  }

  private percent(job: FakeJob): number {
    if (job.frozenPercent !== undefined) return job.frozenPercent;
    const origin = job.progressOrigin ?? job.startedAt;
    if (origin === undefined) return 0;
    const elapsed = this.clock.now() - origin;
    return Math.max(0, Math.min(99, Math.floor((100 * elapsed) / Math.max(1, job.transcodeMs))));
  }

  private emit(job: FakeJob, status: string, extra: Record<string, unknown>): void {
    const detail: JobStateChangeDetail = {
      timestamp: this.clock.now(),
      accountId: ACCOUNT,
      queue: job.request.Queue ?? this.options.queueArn,
      jobId: job.id,
      status,
      userMetadata: { ...(job.request.UserMetadata ?? {}) },
      ...extra,
    };
    const event = jobStateChangeEvent(this.random.uuid(), this.clock.now(), job.arn, detail);
    job.events.push(event);
    this.publish(event);
  }

  /**
   * What a group writes, and its entry in the COMPLETE event: a CMAF group lists `.mpd` and `.m3u8`
   * in `playlistFilePaths` and no `outputFilePaths`; an HLS group lists its multivariant playlist and
   * each output's child playlist; a file group with a frame capture names the last image.
   * https://docs.aws.amazon.com/mediaconvert/latest/ug/output-file-names-and-paths.html
   */
  private writeOutputs(job: FakeJob, group: OutputGroup, media: MediaFacts): OutputGroupDetail {
    const { type, destination, settings } = destinationOf(group);
    const inputUri = job.request.Settings?.Inputs?.[0]?.FileInput ?? "";
    const base = destination.endsWith("/") ? `${destination}${inputBaseName(inputUri)}` : destination;
    const write = (uri: string, container: "hls-ts" | "cmaf" | "dash" | "image") => {
      const { bucket, key } = splitS3Uri(uri);
      this.s3.createBucket(bucket);
      this.s3.put(bucket, key, { content: { kind: "output", writtenBy: job.id, container } });
    };
    const durationInMs = media.durationMs + 41;
    const details = (group.Outputs ?? []).map((output): OutputDetail => {
      const video = output.VideoDescription;
      const isCapture = video?.CodecSettings?.Codec === "FRAME_CAPTURE";
      const videoDetails =
        video && !isCapture
          ? { widthInPx: video.Width ?? media.widthPx, heightInPx: video.Height ?? media.heightPx }
          : undefined;
      return { durationInMs, ...(videoDetails ? { videoDetails } : {}) };
    });
    switch (type) {
      case "CMAF_GROUP_SETTINGS": {
        const cmaf = settings as { WriteHlsManifest?: string; WriteDashManifest?: string };
        const playlists: string[] = [];
        if (cmaf.WriteDashManifest !== "DISABLED") playlists.push(`${base}.mpd`);
        if (cmaf.WriteHlsManifest !== "DISABLED") playlists.push(`${base}.m3u8`);
        for (const p of playlists) write(p, p.endsWith(".mpd") ? "dash" : "cmaf");
        return { type: "CMAF_GROUP", outputDetails: details, playlistFilePaths: playlists };
      }
      case "HLS_GROUP_SETTINGS": {
        write(`${base}.m3u8`, "hls-ts");
        const outputs = (group.Outputs ?? []).map((output, i) => {
          const child = `${base}${output.NameModifier ?? `_${i + 1}`}.m3u8`;
          write(child, "hls-ts");
          return { ...details[i]!, outputFilePaths: [child] };
        });
        return { type: "HLS_GROUP", outputDetails: outputs, playlistFilePaths: [`${base}.m3u8`] };
      }
      case "DASH_ISO_GROUP_SETTINGS":
        write(`${base}.mpd`, "dash");
        return { type: "DASH_ISO_GROUP", outputDetails: details, playlistFilePaths: [`${base}.mpd`] };
      case "FILE_GROUP_SETTINGS": {
        const outputs = (group.Outputs ?? []).map((output, i) => {
          const capture = output.VideoDescription?.CodecSettings?.FrameCaptureSettings;
          let path: string;
          if (output.VideoDescription?.CodecSettings?.Codec === "FRAME_CAPTURE") {
            const perSecond = (capture?.FramerateNumerator ?? 1) / (capture?.FramerateDenominator ?? 1);
            const possible = Math.floor((media.durationMs / 1000) * perSecond) + 1;
            const count = Math.min(capture?.MaxCaptures ?? possible, possible);
            path = `${base}${output.NameModifier ?? ""}.${String(count - 1).padStart(7, "0")}.jpg`;
            write(path, "image");
          } else {
            path = `${base}${output.NameModifier ?? ""}.mp4`;
            write(path, "image");
          }
          const width = output.VideoDescription?.Width ?? media.widthPx;
          const height = output.VideoDescription?.Height ?? media.heightPx;
          return {
            ...details[i]!,
            outputFilePaths: [path],
            videoDetails: { widthInPx: width, heightInPx: height },
          };
        });
        return { type: "FILE_GROUP", outputDetails: outputs };
      }
      default:
        throw new Error(`The MediaConvert fake does not write ${type} groups`);
    }
  }

  /** Job as the API returns it (GetJob, CreateJob). */
  private jobView(job: FakeJob): Job {
    const progressing = job.status === "PROGRESSING";
    return {
      Id: job.id,
      Arn: job.arn,
      CreatedAt: new Date(job.createdAt),
      Status: job.status,
      Queue: job.request.Queue ?? this.options.queueArn,
      Role: job.request.Role!,
      Settings: job.request.Settings!,
      UserMetadata: job.request.UserMetadata,
      ClientRequestToken: job.request.ClientRequestToken,
      Priority: job.request.Priority ?? 0,
      StatusUpdateInterval: job.request.StatusUpdateInterval ?? "SECONDS_60",
      AccelerationStatus: "NOT_APPLICABLE",
      RetryCount: 0,
      ...(progressing ? { JobPercentComplete: this.percent(job), CurrentPhase: "TRANSCODING" as const } : {}),
      Timing: {
        SubmitTime: new Date(job.createdAt),
        ...(job.startedAt !== undefined ? { StartTime: new Date(job.startedAt) } : {}),
        ...(job.finishedAt !== undefined ? { FinishTime: new Date(job.finishedAt) } : {}),
      },
      ...(job.errorCode !== undefined ? { ErrorCode: job.errorCode, ErrorMessage: job.errorMessage } : {}),
      ...(job.outputGroupDetails
        ? {
            OutputGroupDetails: job.outputGroupDetails.map((g) => ({
              OutputDetails: g.outputDetails.map((o) => ({
                DurationInMs: o.durationInMs,
                ...(o.videoDetails
                  ? {
                      VideoDetails: {
                        WidthInPx: o.videoDetails.widthInPx,
                        HeightInPx: o.videoDetails.heightInPx,
                      },
                    }
                  : {}),
              })),
            })),
          }
        : {}),
    };
  }

  /** The object an `s3://bucket/key` input names: the key exactly as written (MediaConvert reads it raw). */
  private readInput(uri: string | undefined): StoredVersion | undefined {
    if (uri === undefined || !uri.startsWith("s3://")) return undefined;
    const { bucket, key } = splitS3Uri(uri);
    return this.s3.latest(bucket, key);
  }
}

interface FrameRateFraction {
  readonly numerator: number;
  readonly denominator: number;
}

/** What Probe reports, and a job follows, when a stored source names no frame rate. */
const DEFAULT_FRAME_RATE: FrameRateFraction = { numerator: 30_000, denominator: 1001 };

/**
 * Output `Width`/`Height`: 32–8192 and even for every codec (API model), and within the codec's
 * row of "Maximum supported output resolutions" (functions/shared/media/codec-limits.ts).
 * The guide does not say how MediaConvert refuses a picture its codec cannot take: nothing shows
 * whether it is a 400 at CreateJob or a job ERROR (1040, "Settings Error") once the job runs. The
 * stand-in takes the earlier one, a 400 at CreateJob like the other size checks: the title still
 * fails at "Transcode To CMAF" either way, and a test sees it without a job running.
 */
function checkPictureSize(output: Output, path: string): void {
  const video = output.VideoDescription;
  if (!video) return;
  for (const [field, value] of [
    ["width", video.Width],
    ["height", video.Height],
  ] as const) {
    if (value === undefined) continue;
    if (value < MIN_DIMENSION_PX || value > MAX_DIMENSION_PX)
      throw badRequest(
        `${path}/videoDescription/${field}: Should be between ${MIN_DIMENSION_PX} and ${MAX_DIMENSION_PX}`,
      );
    if (value % 2 !== 0) throw badRequest(`${path}/videoDescription/${field}: Should be a multiple of 2`);
  }
  const codec = video.CodecSettings?.Codec;
  if (codec === undefined || video.Width === undefined || video.Height === undefined) return;
  const size = { widthPx: video.Width, heightPx: video.Height };
  if (!fitsCodec(codec, size)) {
    const box = maximumFor(codec, size);
    throw badRequest(
      `${path}/videoDescription: ${size.widthPx}x${size.heightPx} exceeds the maximum output resolution of ${codec} (${box.widthPx}x${box.heightPx})`,
    );
  }
}

/**
 * CMAF, DASH and Smooth groups: "Fragment length must be a whole number and must be a multiple of
 * GOP size × Closed GOP cadence ÷ Framerate", the output's frame rate being the input's when it
 * follows the source. https://docs.aws.amazon.com/mediaconvert/latest/ug/setting-the-fragment-length.html
 * - A GOP in SECONDS is turned into frames by the encoder; one that is not a whole number of frames
 *   (2 s at 29.97 fps is 59.94) cannot be one GOP, so it breaks the rule.
 * - Rates of the 1000/1001 family are read at their nominal value (29.97 as 30): at the exact rate
 *   no whole-second fragment is a multiple of any whole-frame GOP, so the rule is only satisfiable
 *   that way; a multiple within 0.1 % of a whole number passes.
 * - GopSizeUnits AUTO (the default) passes: MediaConvert then picks a GOP compatible with the
 *   fragment length itself (gop-structure.html).
 * MediaConvert accepts a job that breaks the rule, and viewers' players fail on its output; the
 * stand-in refuses it at CreateJob (400) so a test sees it.
 */
function checkFragmentLength(
  group: OutputGroup,
  path: string,
  sourceRate: FrameRateFraction | undefined,
): void {
  const settings = group.OutputGroupSettings;
  const fragmented =
    settings?.CmafGroupSettings ?? settings?.DashIsoGroupSettings ?? settings?.MsSmoothGroupSettings;
  if (!fragmented) return;
  const fragmentSeconds = fragmented.FragmentLength ?? 2;
  if (!Number.isInteger(fragmentSeconds) || fragmentSeconds < 1)
    throw badRequest(`${path}: FragmentLength must be a whole number of seconds`);
  (group.Outputs ?? []).forEach((output, o) => {
    const codec = output.VideoDescription?.CodecSettings;
    const encode = codec?.H264Settings ?? codec?.H265Settings;
    if (!encode || (encode.GopSizeUnits ?? "AUTO") === "AUTO") return;
    const rate =
      encode.FramerateControl === "SPECIFIED" && encode.FramerateNumerator && encode.FramerateDenominator
        ? { numerator: encode.FramerateNumerator, denominator: encode.FramerateDenominator }
        : sourceRate;
    if (rate === undefined) return;
    const perSecond = rate.numerator / rate.denominator;
    const gopSize = encode.GopSize ?? 0;
    const frames = encode.GopSizeUnits === "SECONDS" ? gopSize * perSecond : gopSize;
    const where = `${path}/outputs/${o}`;
    const rateText = `${rate.numerator}/${rate.denominator} fps`;
    if (frames < 1 || Math.abs(frames - Math.round(frames)) > 1e-6) {
      throw badRequest(
        `${where}: a GOP of ${gopSize} ${encode.GopSizeUnits} at ${rateText} is ${frames.toFixed(2)} frames, not a whole number, so FragmentLength ${fragmentSeconds} cannot be a multiple of it`,
      );
    }
    const cadence = encode.GopClosedCadence ?? 1;
    const multiple = (fragmentSeconds * perSecond) / (Math.round(frames) * cadence);
    const whole = Math.round(multiple);
    if (whole < 1 || Math.abs(multiple - whole) > whole / 1000) {
      throw badRequest(
        `${where}: FragmentLength ${fragmentSeconds} is not a multiple of GOP size × closed GOP cadence ÷ frame rate (${Math.round(frames)} × ${cadence} ÷ ${rateText})`,
      );
    }
  });
}

function destinationOf(group: OutputGroup): { type: string; destination: string; settings: object } {
  const settings = group.OutputGroupSettings;
  const type = settings?.Type ?? "";
  const specific =
    type === "CMAF_GROUP_SETTINGS"
      ? settings?.CmafGroupSettings
      : type === "HLS_GROUP_SETTINGS"
        ? settings?.HlsGroupSettings
        : type === "DASH_ISO_GROUP_SETTINGS"
          ? settings?.DashIsoGroupSettings
          : type === "FILE_GROUP_SETTINGS"
            ? settings?.FileGroupSettings
            : undefined;
  const destination = (specific as { Destination?: string } | undefined)?.Destination;
  if (!destination || !/^s3:\/\/[^/]+\/.*/.test(destination)) {
    throw badRequest(`outputGroups: ${type || "an output group"} needs an s3:// Destination`);
  }
  return { type, destination, settings: specific ?? {} };
}

function splitS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/s.exec(uri);
  if (!match) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}

/** MediaConvert names outputs after the input file when a destination has no base name. */
function inputBaseName(uri: string): string {
  const name = uri.split("/").pop() ?? "";
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

function probeResult(media: MediaFacts, metadata: ProbeResult["Metadata"]): ProbeResult {
  const seconds = media.durationMs / 1000;
  const frameRate = media.frameRate ?? DEFAULT_FRAME_RATE;
  const tracks: NonNullable<NonNullable<ProbeResult["Container"]>["Tracks"]> = [
    {
      Index: 1,
      TrackType: "video",
      Codec: media.videoCodec ?? "AVC",
      Duration: seconds,
      VideoProperties: {
        Width: media.widthPx,
        Height: media.heightPx,
        BitDepth: 8,
        BitRate: 8_000_000,
        FrameRate: { Numerator: frameRate.numerator, Denominator: frameRate.denominator },
        ColorPrimaries: "ITU_709",
        TransferCharacteristics: "ITU_709",
        MatrixCoefficients: "ITU_709",
      },
    },
  ];
  if (media.audio) {
    tracks.push({
      Index: 2,
      TrackType: "audio",
      Codec: media.audio.codec,
      Duration: seconds,
      AudioProperties: {
        Channels: media.audio.channels,
        SampleRate: media.audio.sampleRate,
        BitRate: 128_000,
        BitDepth: 16,
        LanguageCode: "eng",
      },
    });
  }
  return {
    Container: { Format: media.format, Duration: seconds, BitRate: 8_128_000, Tracks: tracks },
    Metadata: metadata,
    TrackMappings: [
      { VideoTrackIndexes: [1], AudioTrackIndexes: media.audio ? [2] : [], DataTrackIndexes: [] },
    ],
  };
}

function inputDetails(job: FakeJob, media: MediaFacts) {
  return {
    id: 1,
    uri: job.request.Settings?.Inputs?.[0]?.FileInput,
    video: [
      {
        bitDepth: 8,
        codec: media.videoCodec ?? "H_264",
        colorFormat: "YUV_420",
        frameRate: media.frameRate ? media.frameRate.numerator / media.frameRate.denominator : 29.97,
        height: media.heightPx,
        width: media.widthPx,
        interlaceMode: "PROGRESSIVE",
        scanType: "PROGRESSIVE",
        streamId: 1,
      },
    ],
    audio: media.audio
      ? [
          {
            channels: media.audio.channels,
            codec: media.audio.codec,
            language: "eng",
            sampleRate: media.audio.sampleRate,
            streamId: 2,
          },
        ]
      : [],
  };
}

/** The STATUS_UPDATE detail additions (ev_status_status_update.html). */
function statusUpdate(job: FakeJob, percent: number) {
  const transcoding = Math.max(0, Math.min(100, Math.round(((percent - 5) * 100) / 90)));
  return {
    framesDecoded: Math.round(((job.transcodeMs / 1000) * 30 * percent) / 100),
    jobProgress: {
      phaseProgress: {
        PROBING: { status: "COMPLETE", percentComplete: 100 },
        TRANSCODING: { status: percent >= 95 ? "COMPLETE" : "PROGRESSING", percentComplete: transcoding },
        UPLOADING: { status: percent >= 95 ? "PROGRESSING" : "PENDING", percentComplete: 0 },
      },
      jobPercentComplete: percent,
      currentPhase: percent >= 95 ? "UPLOADING" : "TRANSCODING",
      retryCount: 0,
    },
  };
}

function badRequest(message: string): BadRequestException {
  return new BadRequestException({ message, $metadata: meta(400) });
}

function tooManyRequests(): TooManyRequestsException {
  return new TooManyRequestsException({ message: "Too Many Requests", $metadata: meta(429) });
}

function internalServerError(): InternalServerErrorException {
  return new InternalServerErrorException({ message: "Internal Server Error", $metadata: meta(500) });
}

function meta(httpStatusCode: number) {
  return { httpStatusCode, attempts: 1, totalRetryDelay: 0 };
}
