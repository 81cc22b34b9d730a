import { Queue, type Job, type JobType } from 'bullmq';
import { bullConnection, watchRedisCommands } from '@myna/messaging';
import { deadLetterQueue, inboundQueue, inboundQueues, SERVICES, type Service } from '@myna/protocol';

/** The `{ token }` of a job, if it is one. */
export function tokenIn(job: Job | undefined): string | undefined {
  return tokenOfData(job?.data);
}

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
 * The federation's queues as Redis's administrator sees them: every queued
 * message can be read, and anything can be put on any lane. (Each service's own
 * Redis user sees its own lanes only: redis-isolation.) The scenarios use this to
 * capture messages in transit and to play attackers who got that far.
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

  /** The lane `from` sends to `to` on. */
  lane(to: Service, from: Service): Queue {
    return this.queue(inboundQueue(to, from));
  }

  deadLetters(party: Service): Queue {
    return this.queue(deadLetterQueue(party));
  }

  /** Puts a message on the lane `from` sends to `to` on, as an attacker with access to Redis would. */
  async inject(to: Service, from: Service, jobName: string, data: unknown, jobId: string): Promise<void> {
    this.injections.set(`${inboundQueue(to, from)}/${jobId}`, Date.now());
    await this.lane(to, from).add(jobName, data, { ...INJECTED_JOB_OPTIONS, jobId });
  }

  /**
   * Every message put on a party's lanes between two times, processed or not, and
   * those refused meanwhile (their dead letters): what the queues carried while a
   * scenario ran, for the report.
   */
  async messagesBetween(from: number, to: number): Promise<QueuedMessage[]> {
    const found: QueuedMessage[] = [];
    const within = (time: number | undefined) => time !== undefined && time >= from && time <= to;
    for (const party of SERVICES) {
      for (const lane of inboundQueues(party)) {
        for (const state of ['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized'] as const) {
          for (const job of await this.queue(lane).getJobs([state], 0, NEWEST_JOBS - 1, false)) {
            const injectedAt = job?.id ? this.injections.get(`${lane}/${job.id}`) : undefined;
            if (!job?.id || !within(job.timestamp)) continue;
            found.push({
              party,
              queue: lane,
              jobId: job.id,
              jobName: job.name,
              token: tokenOfData(job.data),
              sentAt: injectedAt ?? job.timestamp,
              timeKind: 'sent',
              outcome: state === 'failed' ? `failed: ${job.failedReason ?? 'no reason given'}` : (STATE_OUTCOMES[state] ?? state),
              refused: state === 'failed',
              injected: injectedAt !== undefined,
            });
          }
        }
      }
      for (const letter of await this.deadLetters(party).getJobs(['waiting', 'delayed', 'prioritized', 'completed', 'failed'], 0, NEWEST_JOBS - 1, false)) {
        if (!letter?.id || !within(letter.timestamp)) continue;
        const data = letter.data as { queue?: unknown; reason?: unknown; data?: unknown } | undefined;
        const queue = typeof data?.queue === 'string' ? data.queue : deadLetterQueue(party);
        const injectedAt = this.injections.get(`${queue}/${letter.id}`);
        found.push({
          party,
          queue,
          jobId: letter.id,
          jobName: letter.name,
          token: tokenOfData(data?.data),
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

  async job(to: Service, from: Service, jobId: string): Promise<Job | undefined> {
    return (await this.lane(to, from).getJob(jobId)) ?? undefined;
  }

  /** The token of a job still on the queue named (a lane or a dead-letter queue). */
  async tokenOnQueue(queue: string, jobId: string): Promise<string | undefined> {
    return tokenIn((await this.queue(queue).getJob(jobId)) ?? undefined);
  }

  /** The token a message carried (`{ token }`), read from a job still on its lane (completed jobs are kept). */
  async tokenOf(to: Service, from: Service, jobId: string): Promise<string | undefined> {
    return tokenIn(await this.job(to, from, jobId));
  }

  /** Every job kept on a lane, newest first. */
  async jobsOn(to: Service, from: Service): Promise<Job[]> {
    return (await this.lane(to, from).getJobs(EVERY_JOB_STATE)).filter(Boolean).sort((a, b) => b.timestamp - a.timestamp);
  }

  /** Messages not yet processed on every party's lanes: waiting, delayed (a retry) or being processed. */
  async pending(): Promise<number> {
    let pending = 0;
    for (const party of SERVICES) {
      for (const lane of inboundQueues(party)) {
        const counts = await this.queue(lane).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        pending += Object.values(counts).reduce((sum, count) => sum + count, 0);
      }
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

  /** Jobs on every lane a party receives on. */
  async jobCount(party: Service): Promise<number> {
    let total = 0;
    for (const lane of inboundQueues(party)) {
      const counts = await this.queue(lane).getJobCounts(...EVERY_JOB_STATE);
      total += Object.values(counts).reduce((sum, count) => sum + count, 0);
    }
    return total;
  }

  /**
   * Runs `work` while Redis's MONITOR records every command sent to it, and
   * returns the commands under this federation's prefix: every queued message
   * is written by one of them.
   */
  async capture<T>(work: () => Promise<T>): Promise<{ result: T; commands: string[] }> {
    const commands: string[] = [];
    const marker = `${this.prefix}:`;
    const watch = await watchRedisCommands(this.redisUrl, (args) => {
      if (args.some((arg) => typeof arg === 'string' && arg.includes(marker))) commands.push(args.join(' '));
    });
    try {
      const result = await work();
      if (watch.unread > 0 || watch.errors.length > 0) {
        throw new Error(`the capture of Redis commands missed some: ${watch.unread} unread lines, errors: ${watch.errors.map(String).join('; ') || 'none'}`);
      }
      return { result, commands };
    } finally {
      watch.stop();
    }
  }

  async close(): Promise<void> {
    this.injections.clear();
    await Promise.all([...this.queues.values()].map((queue) => queue.close().catch(() => undefined)));
    this.queues.clear();
  }
}

function tokenOfData(data: unknown): string | undefined {
  const token = (data as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? token : undefined;
}
