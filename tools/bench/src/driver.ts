// The load: inquiries started at the requester with at most C in flight, each
// followed to its end through the requester's own API.
import type { Agency, Service } from '@myna/protocol';
import type { InquiryStatus, InquiryView } from './federation';
import { FederationUnreachableError } from './federation';
import { errorDetail, TransportError, type JsonHttpClient } from './http-json';

export type Outcome = Exclude<InquiryStatus, 'pending'> | 'start-failed' | 'timeout';
export const OUTCOMES: readonly Outcome[] = ['answered', 'no-record', 'denied', 'failed', 'start-failed', 'timeout'];

export interface ExchangeSample {
  outcome: Outcome;
  /** The requester's own answeredAt − createdAt: no polling delay in it. */
  serverMs?: number;
  /** From sending POST /inquiries to the poll that saw the inquiry settled. */
  clientMs: number;
  /** When it settled, ms after the phase started. */
  settledAtMs: number;
  reason?: string;
}

export interface DrivePlan {
  count: number;
  concurrency: number;
  requester: Agency;
  provider: Agency;
  rule: string;
  item: string;
  parameters: Record<string, string | number | boolean>;
  personIds: readonly string[];
  deadlineMs: number;
  /** Least interval of the list poll. */
  pollMs: number;
  /**
   * Open loop: start this many inquiries per second whatever is in flight (at most
   * `concurrency`), as real traffic arrives. Undefined: a closed loop of `concurrency` slots.
   */
  ratePerSecond?: number;
  /** No inquiry starts once this many ms have passed since the first (those in flight still settle). Undefined: no limit. */
  startForMs?: number;
  urls: Readonly<Record<Service, string>>;
}

export interface PollCounts {
  /** GET /exchange-records: one answers for many inquiries. */
  listPolls: number;
  /** GET /inquiries/:id, for an inquiry the list no longer reached. */
  singlePolls: number;
  failedPolls: number;
}

export interface DriveResult extends PollCounts {
  samples: ExchangeSample[];
  /** First POST to the last exchange settled. */
  wallMs: number;
}

/** Successive start failures that can only mean the requester is gone. */
const UNREACHABLE_AFTER = 200;
/** GET /exchange-records takes at most this many (libs/agency InquiryController). */
const LIST_LIMIT_MAX = 1000;
const MAX_POLL_INTERVAL_MS = 2000;

interface InFlight {
  inquiryId: string;
  sentAt: number;
  /** Wall clock when POST /inquiries answered: the inquiry's createdAt is no later. */
  acceptedAtWall: number;
  lastSinglePoll: number;
  settle: (sample: Omit<ExchangeSample, 'clientMs' | 'settledAtMs'>) => void;
}

/** A row of GET /exchange-records `requested` (libs/agency Inquiry without its result). */
type ListedInquiry = Omit<InquiryView, 'result'>;

/**
 * A closed loop: each of C slots starts an inquiry, waits for it to settle, then
 * starts the next. One poller follows every inquiry in flight with the
 * requester's GET /exchange-records (its latest inquiries, newest first), so the
 * requester answers a few list requests a second however many exchanges run,
 * instead of polls for each. It polls about ten times per typical exchange
 * duration, never more often than pollMs nor less often than every 2 s, so
 * following slow exchanges costs the requester little. An inquiry older than the
 * list's window is polled on its own, at most every 4 polling intervals.
 */
export class ExchangeDriver {
  private readonly inFlight = new Map<string, InFlight>();
  private consecutiveUnreachable = 0;
  /** Moving average of server latency: the polling interval follows it. */
  private typicalMs: number | undefined;
  private polls: PollCounts = { listPolls: 0, singlePolls: 0, failedPolls: 0 };

  constructor(
    private readonly http: JsonHttpClient,
    private readonly onProgress: (settled: number, total: number) => void = () => undefined,
  ) {}

  async run(plan: DrivePlan): Promise<DriveResult> {
    const samples: ExchangeSample[] = [];
    const started = performance.now();
    this.polls = { listPolls: 0, singlePolls: 0, failedPolls: 0 };
    let next = 0;
    let fatal: Error | undefined;
    let running = true;
    const mayStart = () => plan.startForMs === undefined || performance.now() - started < plan.startForMs;
    const slot = async () => {
      while (next < plan.count && !fatal && mayStart()) {
        const index = next++;
        try {
          samples.push(await this.one(plan, plan.personIds[index % plan.personIds.length], started));
        } catch (error) {
          fatal ??= error instanceof Error ? error : new Error(String(error));
        }
        this.onProgress(samples.length, plan.count);
      }
    };
    const poller = this.poll(plan, () => running).catch((error: unknown) => {
      fatal ??= error instanceof Error ? error : new Error(String(error));
      for (const entry of this.inFlight.values()) entry.settle({ outcome: 'timeout', reason: 'the bench stopped polling' });
    });
    if (plan.ratePerSecond === undefined) await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.count) }, slot));
    else await this.openLoop(plan, plan.ratePerSecond, started, samples, () => fatal, (error) => (fatal ??= error), mayStart);
    const wallMs = performance.now() - started;
    running = false;
    await poller;
    if (fatal) throw fatal;
    return { samples, wallMs, ...this.polls };
  }

  /** Starts inquiry i at i / rate seconds after the start, each followed on its own until it settles. */
  private async openLoop(
    plan: DrivePlan,
    ratePerSecond: number,
    started: number,
    samples: ExchangeSample[],
    fatal: () => Error | undefined,
    fail: (error: Error) => void,
    mayStart: () => boolean,
  ): Promise<void> {
    const running: Promise<void>[] = [];
    for (let index = 0; index < plan.count && !fatal(); index++) {
      await sleep(Math.max(0, started + (index * 1000) / ratePerSecond - performance.now()));
      while (this.inFlight.size >= plan.concurrency && !fatal()) await sleep(5);
      if (!mayStart()) break;
      running.push(
        this.one(plan, plan.personIds[index % plan.personIds.length], started).then(
          (sample) => {
            samples.push(sample);
            this.onProgress(samples.length, plan.count);
          },
          (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
        ),
      );
    }
    await Promise.all(running);
  }

  private async one(plan: DrivePlan, personId: string, phaseStart: number): Promise<ExchangeSample> {
    const requesterUrl = plan.urls[plan.requester];
    const sentAt = performance.now();
    const finish = (sample: Omit<ExchangeSample, 'clientMs' | 'settledAtMs'>): ExchangeSample => {
      const now = performance.now();
      return { ...sample, clientMs: now - sentAt, settledAtMs: now - phaseStart };
    };

    let inquiryId: string;
    try {
      const response = await this.http.post(`${requesterUrl}/inquiries`, {
        personId,
        provider: plan.provider,
        rule: plan.rule,
        item: plan.item,
        parameters: plan.parameters,
      });
      this.consecutiveUnreachable = 0;
      const id = (response.body as { inquiryId?: unknown } | undefined)?.inquiryId;
      if (response.status !== 202 || typeof id !== 'string') {
        return finish({ outcome: 'start-failed', reason: `POST /inquiries answered ${response.status}${errorDetail(response.body)}` });
      }
      inquiryId = id;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      if (++this.consecutiveUnreachable >= UNREACHABLE_AFTER) {
        throw new FederationUnreachableError([`${plan.requester} at ${requesterUrl}: ${error.code} (${UNREACHABLE_AFTER} inquiries in a row could not be sent)`]);
      }
      return finish({ outcome: 'start-failed', reason: error.code });
    }

    return new Promise<ExchangeSample>((resolve) => {
      this.inFlight.set(inquiryId, {
        inquiryId,
        sentAt,
        acceptedAtWall: Date.now(),
        lastSinglePoll: performance.now(),
        settle: (sample) => {
          this.inFlight.delete(inquiryId);
          resolve(finish(sample));
        },
      });
    });
  }

  private async poll(plan: DrivePlan, running: () => boolean): Promise<void> {
    const requesterUrl = plan.urls[plan.requester];
    while (running()) {
      const tick = performance.now();
      const interval = Math.min(MAX_POLL_INTERVAL_MS, Math.max(plan.pollMs, (this.typicalMs ?? 0) / 10));
      if (this.inFlight.size > 0) {
        const limit = listLimit(this.inFlight.size);
        const window = await this.listPoll(`${requesterUrl}/exchange-records?limit=${limit}`, limit);
        const now = performance.now();
        for (const entry of [...this.inFlight.values()]) {
          if (now - entry.sentAt >= plan.deadlineMs) {
            entry.settle({ outcome: 'timeout', reason: `not settled within ${plan.deadlineMs / 1000} s` });
          } else if (window !== undefined && entry.acceptedAtWall < window.oldestCreatedAt && now - entry.lastSinglePoll >= 4 * interval) {
            // Older than anything the list showed: it can only be seen on its own.
            entry.lastSinglePoll = now;
            void this.singlePoll(`${requesterUrl}/inquiries/${entry.inquiryId}`, entry);
          }
        }
      }
      await sleep(Math.max(0, interval - (performance.now() - tick)));
    }
  }

  /** Settles every listed inquiry that is ours and done; returns how far back the list reached, when it was full. */
  private async listPoll(url: string, limit: number): Promise<{ oldestCreatedAt: number } | undefined> {
    let rows: ListedInquiry[];
    try {
      this.polls.listPolls++;
      const response = await this.http.get(url);
      const requested = (response.body as { requested?: unknown } | undefined)?.requested;
      if (response.status !== 200 || !Array.isArray(requested)) {
        this.polls.failedPolls++;
        return { oldestCreatedAt: Number.POSITIVE_INFINITY };
      }
      rows = requested as ListedInquiry[];
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      this.polls.failedPolls++;
      return { oldestCreatedAt: Number.POSITIVE_INFINITY };
    }
    let oldest = Number.POSITIVE_INFINITY;
    for (const row of rows) {
      const createdAt = Date.parse(row.createdAt);
      if (createdAt < oldest) oldest = createdAt;
      const entry = this.inFlight.get(row.id);
      if (entry && row.status !== 'pending') this.settleFrom(entry, row);
    }
    // A list shorter than the limit holds every inquiry: nothing is outside it.
    return rows.length < limit ? undefined : { oldestCreatedAt: oldest };
  }

  private async singlePoll(url: string, entry: InFlight): Promise<void> {
    try {
      this.polls.singlePolls++;
      const response = await this.http.get(url);
      if (response.status !== 200) {
        this.polls.failedPolls++;
        return;
      }
      const inquiry = response.body as InquiryView;
      if (inquiry.status !== 'pending' && this.inFlight.get(entry.inquiryId) === entry) this.settleFrom(entry, inquiry);
    } catch {
      // Transport or body trouble: counted, and the next round polls again.
      this.polls.failedPolls++;
    }
  }

  private settleFrom(entry: InFlight, inquiry: ListedInquiry): void {
    const serverMs = inquiry.answeredAt ? Date.parse(inquiry.answeredAt) - Date.parse(inquiry.createdAt) : Number.NaN;
    if (Number.isFinite(serverMs)) this.typicalMs = this.typicalMs === undefined ? serverMs : this.typicalMs + 0.05 * (serverMs - this.typicalMs);
    entry.settle({
      outcome: inquiry.status as Outcome,
      serverMs: Number.isFinite(serverMs) ? serverMs : undefined,
      reason: inquiry.reason ?? undefined,
    });
  }
}


/**
 * How many of the requester's newest inquiries a poll lists: those in flight now,
 * and about as many again newer than the oldest of them (settled meanwhile). Sized
 * by what is in flight, not by the most that may be: an open loop of 75/s holds a
 * dozen in flight under a cap of 400, and listed 850 inquiries (some 870 KB of
 * JSON) ten times a second for the requester to write and the bench to read: the
 * bench's own CPU at that rate went from 1.71 to 0.94 ms per exchange.
 * Older stragglers are polled on their own.
 */
export function listLimit(inFlight: number): number {
  return Math.min(LIST_LIMIT_MAX, 2 * inFlight + 50);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
