import fc from 'fast-check';
import { Queue } from 'bullmq';
import { bullConnection, DELIVERY_OPTIONS } from '@myna/messaging';
import { deadLetterQueue, loadServiceKeyRing, type Service } from '@myna/protocol';
import { pollUntil, queryAs, startTestFederation, TEST_REDIS_PREFIX, TEST_REDIS_URL, testKeysDir, type TestFederation } from '@myna/testing';
import { buildFuzzJob, CONSUMERS, FUZZ_KINDS, recipeArbitrary, type FuzzJob, type KeyRings } from './queue-fuzz/fuzz-payloads';

// Every queue consumer (the hub, the agencies, the portal) against property-based bad
// input, on real Redis/BullMQ and PostgreSQL: each job must land in the party's
// dead-letter queue with a code and a reason, refused at once (never through retries
// that end in `processing-failed`), with no state change and no process harmed.
// QUEUE_FUZZ_RUNS=2000 runs thousands on demand; QUEUE_FUZZ_SEED repeats a run.
const RUNS = Number(process.env.QUEUE_FUZZ_RUNS ?? 240);
const SEED = Number(process.env.QUEUE_FUZZ_SEED ?? Date.now() % 2 ** 31);
// Oversized jobs are 256 KiB and more each: a few make the point.
const OVERSIZED_AT_MOST = 24;

/** The rows that make up each party's state; refusals (rejected_message) are expected to grow. */
const STATE_TABLES: Partial<Record<Service, string[]>> = {
  'exchange-hub': ['exchange', 'outbound_message', 'seen_message'],
  'tax-agency': ['inquiry', 'provided_exchange', 'person'],
  'pension-agency': ['inquiry', 'provided_exchange', 'person'],
  'health-agency': ['inquiry', 'provided_exchange', 'person'],
  'myna-portal': ['exchange_record'],
};

describe('queue consumers under fuzzed input', () => {
  let federation: TestFederation<Service>;
  let keys: KeyRings;
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    if (!queues.has(name)) queues.set(name, new Queue(name, { connection: bullConnection(TEST_REDIS_URL), prefix: TEST_REDIS_PREFIX }));
    return queues.get(name)!;
  };
  const state = async () => {
    const counts: Record<string, number> = {};
    for (const [service, tables] of Object.entries(STATE_TABLES) as [Service, string[]][]) {
      for (const table of tables) counts[`${service}.${table}`] = (await queryAs<{ n: number }>(federation.databases[service].url, `SELECT count(*)::int AS n FROM ${table}`))[0].n;
    }
    return counts;
  };

  beforeAll(async () => {
    federation = await startTestFederation(CONSUMERS);
    keys = Object.fromEntries(await Promise.all(CONSUMERS.map(async (service) => [service, await loadServiceKeyRing(testKeysDir(service), service)]))) as KeyRings;
  }, 300_000);

  afterAll(async () => {
    await Promise.all([...queues.values()].map((open) => open.close()));
    await federation?.stop();
  });

  it(`dead-letters every malformed, truncated, oversized, wrongly typed or addressed job with a reason, and changes nothing (seed ${SEED})`, async () => {
    const recipes = fc.sample(recipeArbitrary(), { numRuns: RUNS, seed: SEED });
    let oversized = 0;
    const kept = recipes.filter((recipe) => recipe.kind !== 'oversized' || ++oversized <= OVERSIZED_AT_MOST);
    // Every kind at every consumer, whatever the draw.
    for (const kind of FUZZ_KINDS) for (const party of CONSUMERS) kept.push({ ...fc.sample(recipeArbitrary([kind]), { numRuns: 1, seed: SEED + kept.length })[0], lane: { party, sender: party === 'exchange-hub' ? 'tax-agency' : 'exchange-hub' } });
    const jobs: FuzzJob[] = [];
    for (const recipe of kept) jobs.push(await buildFuzzJob(recipe, keys));

    const before = await state();
    const started = Date.now();
    for (const job of jobs) await queue(job.queue).add(job.name, job.data, { ...DELIVERY_OPTIONS, jobId: job.id });

    const outcomes = new Map<string, { code: string; reason: string; attempts: number; completed?: boolean }>();
    await pollUntil(
      async () => {
        for (const job of jobs) {
          if (outcomes.has(job.id)) continue;
          const letter = await queue(deadLetterQueue(job.recipe.lane.party)).getJob(job.id);
          if (letter) outcomes.set(job.id, letter.data as { code: string; reason: string; attempts: number });
          // A job the party took and finished without a refusal will never be dead-lettered: say so now, not at the deadline.
          else if ((await (await queue(job.queue).getJob(job.id))?.isCompleted()) === true) outcomes.set(job.id, { code: '', reason: '', attempts: 1, completed: true });
        }
        return outcomes.size === jobs.length;
      },
      { timeoutMs: 240_000 + jobs.length * 200, intervalMs: 500, what: `${jobs.length} fuzzed jobs to be dead-lettered` },
    );
    const seconds = (Date.now() - started) / 1000;

    const wrong = jobs.flatMap((job) => {
      const { code, reason, attempts, completed } = outcomes.get(job.id)!;
      const where = `${job.recipe.kind} on ${job.queue} (${job.name})`;
      if (completed) return [`${where}: taken and completed, never refused`];
      if (!code || !reason) return [`${where}: dead-lettered without a code and reason`];
      if (code === 'processing-failed' || attempts > 1) return [`${where}: not refused at once but after ${attempts} attempts, as ${code}: ${reason}`];
      if (job.expectCode && !job.expectCode.test(code)) return [`${where}: refused as ${code}, expected ${job.expectCode}`];
      return [];
    });
    expect(wrong).toEqual([]);
    expect(await state()).toEqual(before);
    for (const service of CONSUMERS) {
      expect((await fetch(`${federation.urls[service]}/health`)).status).toBe(200);
      expect(federation.output(service)).not.toMatch(/unhandled|uncaught/i);
    }

    const byKind = Object.fromEntries(FUZZ_KINDS.map((kind) => [kind, jobs.filter((job) => job.recipe.kind === kind).length]));
    const codes = [...outcomes.values()].reduce<Record<string, number>>((tally, { code }) => ({ ...tally, [code]: (tally[code] ?? 0) + 1 }), {});
    process.stdout.write(`queue fuzz: ${jobs.length} jobs (seed ${SEED}) dead-lettered in ${seconds.toFixed(1)} s; by kind ${JSON.stringify(byKind)}; by code ${JSON.stringify(codes)}\n`);
  }, 900_000);
});
