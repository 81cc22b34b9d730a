import { Queue, type Job, type JobType } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection } from '@myna/messaging';
import { deadLetterQueue, inboundQueue, SERVICES, type Service } from '@myna/protocol';

export const EVERY_JOB_STATE: JobType[] = ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed', 'waiting-children'];

/** A message found on a queue: where, when, what became of it, and the token it carried. */
export interface QueuedMessage {
  party: Service;
  queue: string;
  jobId: string;
  jobName: string;
  token?: string;
  /** When it was put on the queue; for a refused message the runner did not inject, when it was refused (a dead letter keeps no earlier time). */
  sentAt: number;
  timeKind: 'sent' | 'refused';
  outcome: string;
  refused: boolean;
  /** Put there by the runner (QueueAccess.inject), playing an attacker. */
  injected: boolean;
}

const STATE_OUTCOMES: Partial<Record<JobType, string>> = {
  completed: 'processed',
  active: 'being processed',
  waiting: 'waiting, not yet processed',
  delayed: 'waiting for a retry',
  prioritized: 'waiting, not yet processed',
};

/** How many of the newest jobs of each state the report reads per queue: a scenario sends far fewer. */
const NEWEST_JOBS = 200;

/** What an attacker's job looks like to the hub: one try, kept for the auditor afterwards. */
const INJECTED_JOB_OPTIONS = { attempts: 1, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } };

/**
 * The federation's queues as anyone with access to its Redis sees them: every
 * queued message can be read, and anything can be put on any queue. The
 * scenarios use this to capture messages in transit and to play attackers.
 */
export class QueueAccess {
  private readonly queues = new Map<string, Queue>();
  /** `<party>/<job id>` of every job the runner injected, and when: the report names the attacker as their sender. */
  private readonly injections = new Map<string, number>();

  constructor(
    readonly redisUrl: string,
    readonly prefix: string,
  ) {}

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: bullConnection(this.redisUrl), prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  inbound(party: Service): Queue {
    return this.queue(inboundQueue(party));
  }

  deadLetters(party: Service): Queue {
    return this.queue(deadLetterQueue(party));
  }

  /** Puts a message on a party's inbound queue, as an attacker with access to Redis would. */
  async inject(party: Service, jobName: string, data: unknown, jobId: string): Promise<void> {
    this.injections.set(`${party}/${jobId}`, Date.now());
    await this.inbound(party).add(jobName, data, { ...INJECTED_JOB_OPTIONS, jobId });
  }

  /**
   * Every message put on a party's inbound queue between two times, processed or
   * not, and those refused meanwhile (their dead letters): what the queues carried
   * while a scenario ran, for the report.
   */
  async messagesBetween(from: number, to: number): Promise<QueuedMessage[]> {
    const found: QueuedMessage[] = [];
    const within = (time: number | undefined) => time !== undefined && time >= from && time <= to;
    for (const party of SERVICES) {
      for (const state of ['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized'] as const) {
        for (const job of await this.inbound(party).getJobs([state], 0, NEWEST_JOBS - 1, false)) {
          const injectedAt = job?.id ? this.injections.get(`${party}/${job.id}`) : undefined;
          if (!job?.id || !within(job.timestamp)) continue;
          found.push({
            party,
            queue: inboundQueue(party),
            jobId: job.id,
            jobName: job.name,
            token: tokenIn(job.data),
            sentAt: injectedAt ?? job.timestamp,
            timeKind: 'sent',
            outcome: state === 'failed' ? `failed: ${job.failedReason ?? 'no reason given'}` : (STATE_OUTCOMES[state] ?? state),
            refused: state === 'failed',
            injected: injectedAt !== undefined,
          });
        }
      }
      for (const letter of await this.deadLetters(party).getJobs(['waiting', 'delayed', 'prioritized', 'completed', 'failed'], 0, NEWEST_JOBS - 1, false)) {
        if (!letter?.id || !within(letter.timestamp)) continue;
        const data = letter.data as { queue?: unknown; reason?: unknown; data?: unknown } | undefined;
        const injectedAt = this.injections.get(`${party}/${letter.id}`);
        found.push({
          party,
          queue: typeof data?.queue === 'string' ? data.queue : inboundQueue(party),
          jobId: letter.id,
          jobName: letter.name,
          token: tokenIn(data?.data),
          sentAt: injectedAt ?? letter.timestamp,
          timeKind: injectedAt === undefined ? 'refused' : 'sent',
          outcome: `refused: ${typeof data?.reason === 'string' ? data.reason : 'no reason given'} (moved to ${deadLetterQueue(party)})`,
          refused: true,
          injected: injectedAt !== undefined,
        });
      }
    }
    return found.sort((a, b) => a.sentAt - b.sentAt);
  }

  async job(party: Service, jobId: string): Promise<Job | undefined> {
    return (await this.inbound(party).getJob(jobId)) ?? undefined;
  }

  /** The token a message carried (`{ token }`), read from a job still on the queue (completed jobs are kept). */
  async tokenOf(party: Service, jobId: string): Promise<string | undefined> {
    const job = await this.job(party, jobId);
    const token = (job?.data as { token?: unknown } | undefined)?.token;
    return typeof token === 'string' ? token : undefined;
  }

  /** Messages not yet processed on every party's inbound queue: waiting, delayed (a retry) or being processed. */
  async pending(): Promise<number> {
    let pending = 0;
    for (const party of SERVICES) {
      const counts = await this.inbound(party).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      pending += Object.values(counts).reduce((sum, count) => sum + count, 0);
    }
    return pending;
  }

  /**
   * Waits until no party has a message in hand or in line (at most `timeoutMs`).
   * The embedded databases serve every connection through one session, so the
   * runner reads them only while the services are quiet.
   */
  async settle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.pending()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  async jobCount(party: Service): Promise<number> {
    const counts = await this.inbound(party).getJobCounts(...EVERY_JOB_STATE);
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  /**
   * Runs `work` while Redis's MONITOR records every command sent to it, and
   * returns the commands under this federation's prefix: every queued message
   * is written by one of them.
   */
  async capture<T>(work: () => Promise<T>): Promise<{ result: T; commands: string[] }> {
    const client = new Redis(this.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    await client.connect();
    const monitor = await client.monitor();
    const commands: string[] = [];
    const marker = `${this.prefix}:`;
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((arg) => typeof arg === 'string' && arg.includes(marker))) commands.push(args.join(' '));
    });
    try {
      const result = await work();
      return { result, commands };
    } finally {
      monitor.disconnect();
      client.disconnect();
    }
  }

  async close(): Promise<void> {
    this.injections.clear();
    await Promise.all([...this.queues.values()].map((queue) => queue.close().catch(() => undefined)));
    this.queues.clear();
  }
}

function tokenIn(data: unknown): string | undefined {
  const token = (data as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? token : undefined;
}
