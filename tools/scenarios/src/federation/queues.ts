import { Queue, type Job, type JobType } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection } from '@myna/messaging';
import { deadLetterQueue, inboundQueue, inboundQueues, SERVICES, type Service } from '@myna/protocol';

/** The `{ token }` of a job, if it is one. */
export function tokenIn(job: Job | undefined): string | undefined {
  const token = (job?.data as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? token : undefined;
}

export const EVERY_JOB_STATE: JobType[] = ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed', 'waiting-children'];

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
    await this.lane(to, from).add(jobName, data, { ...INJECTED_JOB_OPTIONS, jobId });
  }

  async job(to: Service, from: Service, jobId: string): Promise<Job | undefined> {
    return (await this.lane(to, from).getJob(jobId)) ?? undefined;
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
    await Promise.all([...this.queues.values()].map((queue) => queue.close().catch(() => undefined)));
    this.queues.clear();
  }
}
