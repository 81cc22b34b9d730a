import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Agency, CODE_ISSUER, EXCHANGE_HUB, inboundQueue, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import { pollUntil } from '../runner/poll';
import type { Scenario, ScenarioContext } from '../runner/scenario';
import { hubExchangeOf, newCitizen, portalRecordOf, type EnrolledCitizen } from './scenario-support';
import type { FederationResources } from '../federation/federation-resources';

const PROVIDER: Agency = TAX_AGENCY;
const REQUESTER: Agency = PENSION_AGENCY;
const RULE = { provider: PROVIDER, rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: { fiscalYear: 2025 } };
const BURST = 24;
// Each cycle ends with a kill; the check needs one that lands while the runner's worker holds a job.
const CYCLES = 6;
// The killed worker's jobs are taken over once their locks lapse: short, so the scenario is quick.
const LOCK_MS = 3000;

function workspaceRoot(from = __dirname): string | undefined {
  for (let dir = path.resolve(from); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
  }
  return undefined;
}

/**
 * Why the runner cannot start (and so kill) a worker of the provider in this run
 * mode, or undefined when it can. It needs the provider's built worker, its key
 * file, its own Redis user, and a database a second process may share: an
 * embedded PGlite serves one session for all its clients, and the services run by
 * docker compose are not the runner's processes.
 */
async function whyNoWorker(context: FederationResources): Promise<string | undefined> {
  if (!workerCommand()) return `the runner cannot start a worker of ${PROVIDER}: there is no workspace here with it built (npm run build) or its sources (under docker compose each service runs in a container of its own)`;
  if (!fs.existsSync(path.join(context.target.keysDir, PROVIDER))) return `no key file of ${PROVIDER} under ${context.target.keysDir}`;
  if (!context.target.serviceRedisUrls[PROVIDER]) return `no Redis user of ${PROVIDER} was given (${PROVIDER.toUpperCase().replace(/-/g, '_')}_REDIS_URL)`;
  const [{ version }] = await context.databases.query<{ version: string }>(PROVIDER, 'SELECT version() AS version');
  if (/emscripten|emcc|wasm|pglite/i.test(version)) return `${PROVIDER}'s database is an embedded PGlite, which a second process may not share (run the demo with ${PROVIDER.toUpperCase().replace(/-/g, '_')}_DATABASE_URL on a PostgreSQL server)`;
  return undefined;
}

/** The provider's worker: built (dist/), else from its sources through ts-node (the tests' way). */
function workerCommand(): { root: string; args: string[]; tsProject: string } | undefined {
  const root = workspaceRoot();
  if (!root) return undefined;
  const built = path.join(root, 'dist', 'apps', PROVIDER, 'src', 'worker.js');
  if (fs.existsSync(built)) return { root, args: ['-r', 'tsconfig-paths/register', built], tsProject: path.join(root, 'tsconfig.runtime.json') };
  const source = path.join(root, 'apps', PROVIDER, 'src', 'worker.ts');
  try {
    require.resolve('ts-node/register', { paths: [root] });
  } catch {
    return undefined;
  }
  return fs.existsSync(source) ? { root, args: ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', source], tsProject: path.join(root, 'tsconfig.spec.json') } : undefined;
}

/**
 * The runner's own worker, under a name BullMQ records on each job it takes
 * (processedBy), so the runner sees which deliveries it holds. One database
 * connection for sixteen deliveries at once: it holds what it takes a little
 * longer, so a kill has deliveries in progress to land on.
 */
function startWorker(context: ScenarioContext, name: string): ChildProcess {
  const { root, args, tsProject } = workerCommand()!;
  const { target } = context;
  return spawn(process.execPath, args, {
    cwd: root,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH ?? '',
      TS_NODE_PROJECT: tsProject,
      TS_NODE_TRANSPILE_ONLY: 'true',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATABASE_URL: target.databaseUrls[PROVIDER],
      DATABASE_POOL_SIZE: '1',
      REDIS_URL: target.serviceRedisUrls[PROVIDER]!,
      REDIS_PREFIX: target.redisPrefix,
      KEYS_DIR: path.join(target.keysDir, PROVIDER),
      CODE_ISSUER_URL: target.urls[CODE_ISSUER],
      WORKER_CONCURRENCY: '16',
      WORKER_LOCK_MS: String(LOCK_MS),
      WORKER_NAME: name,
    },
  });
}

/**
 * The deliveries the runner's worker holds, read while it is frozen (SIGSTOP): a
 * frozen process finishes nothing, so what it holds then is what a SIGKILL lands
 * on. The set is read until two reads agree, for whatever the worker sent just
 * before it froze. A freeze that finds nothing held is undone (SIGCONT) and
 * tried again, until the burst is answered ([] then).
 */
async function heldWhenFrozen(lane: ReturnType<ScenarioContext['queues']['lane']>, worker: ChildProcess, name: string, burstSettled: () => boolean): Promise<string[]> {
  const heldBy = async () => (await lane.getJobs(['active'])).filter((job) => job?.processedBy === name).map((job) => String(job.id)).sort();
  return pollUntil(async () => {
    if (burstSettled()) return [];
    if ((await heldBy()).length === 0) return undefined;
    worker.kill('SIGSTOP');
    let previous = await heldBy();
    const held = await pollUntil(async () => {
      const now = await heldBy();
      const same = now.join() === previous.join();
      previous = now;
      return same ? now : undefined;
    }, { timeoutMs: 10_000, intervalMs: 20, what: 'the frozen worker’s deliveries to settle' });
    if (held.length > 0) return held;
    worker.kill('SIGCONT');
    return undefined;
  }, { timeoutMs: 200_000, intervalMs: 5, what: `the runner’s worker to hold a delivery on ${PROVIDER}’s lane` });
}

export const workerCrashNoLoss: Scenario = {
  name: 'worker-crash-no-loss',
  claim: 'An exchange is neither lost nor done twice when a provider’s worker dies in the middle of it: another worker takes the job over and the exchange completes exactly once.',
  proves:
    'a worker of tax the runner started, under a name BullMQ records on each job it takes, is frozen (SIGSTOP) while it holds deliveries and then SIGKILLed; every job it held then is taken over after its lock lapses (BullMQ counts the stall) and finished; every inquiry of the burst is answered with tax’s record, with one hub exchange, one answer at tax and one portal record each; a full run where the runner cannot start and kill a worker (the embedded demo, docker compose) names it as not played, with the reason, and named on its own it fails',
  unavailable: whyNoWorker,
  async run(context) {
    const unable = await whyNoWorker(context);
    if (unable) {
      context.check('the runner can start and SIGKILL a worker of the provider in this run mode', false, unable);
      return context.conclude();
    }
    const citizens: EnrolledCitizen[] = [];
    for (let index = 0; index < 3; index++) citizens.push(await newCitizen(context, `citizen ${index + 1}`, { at: [REQUESTER, PROVIDER] }));
    const lane = context.queues.lane(PROVIDER, EXCHANGE_HUB);
    const inquiries: string[] = [];
    let recovered: { id: string; stalledCounter: number; finished: boolean }[] = [];
    let killedWith = 0;

    for (let cycle = 1; cycle <= CYCLES && recovered.length === 0; cycle++) {
      const name = `${PROVIDER}-runner-${randomBytes(4).toString('hex')}`;
      const workersBefore = (await lane.getWorkers()).length;
      const worker = startWorker(context, name);
      const exited = new Promise<string>((resolve) => worker.once('exit', (code, signal) => resolve(signal ?? String(code))));
      await pollUntil(async () => ((await lane.getWorkers()).length > workersBefore ? true : undefined), { timeoutMs: 120_000, intervalMs: 250, what: 'the runner’s worker of tax to connect' });
      context.say('runner', `starts a worker of ${PROVIDER} of its own, ${name} (pid ${worker.pid}, locks of ${LOCK_MS} ms), beside the federation’s (cycle ${cycle})`);
      const burst = await Promise.all(
        Array.from({ length: BURST }, (_, index) => context.federation.startInquiry(REQUESTER, citizens[index % citizens.length].personIds[REQUESTER]!, RULE)),
      );
      inquiries.push(...burst);
      context.say(REQUESTER, `asks ${PROVIDER} ${BURST} times for annual income under ${RULE.rule}`);
      let burstSettled = false;
      const settling = Promise.all(burst.map((inquiryId) => context.federation.settled(REQUESTER, inquiryId)));
      settling.then(
        () => (burstSettled = true),
        () => (burstSettled = true),
      );
      const held = await heldWhenFrozen(lane, worker, name, () => burstSettled);
      worker.kill('SIGKILL');
      const signal = await exited;
      if (held.length > 0) context.say('runner', `SIGKILLs its worker (${signal}) while it holds ${held.length} deliveries on ${PROVIDER}’s lane`);
      else context.say('runner', `stops its worker (${signal}): the federation’s worker answered the whole burst before it took a delivery; again`);
      await settling;
      const jobs = await Promise.all(held.map(async (id) => (await lane.getJob(id)) ?? undefined));
      killedWith = held.length;
      recovered = jobs.filter((job) => job !== undefined && job.stalledCounter > 0).map((job) => ({ id: String(job!.id), stalledCounter: job!.stalledCounter, finished: job!.finishedOn !== undefined }));
    }

    context.check(
      'every job the killed worker held was taken over by another worker once its lock lapsed',
      recovered.length > 0 && recovered.length === killedWith && recovered.every((job) => job.finished),
      recovered.length > 0
        ? `it held ${killedWith} job(s) on ${inboundQueue(PROVIDER, EXCHANGE_HUB)} at the kill; ${recovered.length} stalled and were processed again (BullMQ's stalled counter: ${recovered.map((job) => job.stalledCounter).join(', ')}), ${recovered.filter((job) => job.finished).length} to the end`
        : `in ${CYCLES} bursts the runner's worker never held a job when it was stopped: no recovery was observed`,
      recovered,
    );
    const settled = await Promise.all(inquiries.map((inquiryId) => context.federation.settled(REQUESTER, inquiryId)));
    const wrong = settled.filter((inquiry, index) => inquiry.status !== 'answered' || (inquiry.result as { incomeYen?: number } | null)?.incomeYen !== citizens[(index % BURST) % citizens.length].incomeYen);
    context.check(
      `nothing lost: every one of the ${inquiries.length} inquiries was answered with tax’s record`,
      wrong.length === 0,
      wrong.length === 0 ? `${settled.length} answered` : wrong.map((inquiry) => `${inquiry.id}: ${inquiry.status} ${inquiry.reason ?? ''}`).join('; '),
    );
    const doubles: string[] = [];
    for (const inquiryId of inquiries) {
      const exchanges = await context.databases.count(EXCHANGE_HUB, 'SELECT count(*) FROM exchange WHERE requester = $1 AND inquiry_id = $2', [REQUESTER, inquiryId]);
      const hub = await hubExchangeOf(context, REQUESTER, inquiryId);
      const answers = await context.databases.count(PROVIDER, 'SELECT count(*) FROM provided_exchange WHERE handle = $1', [hub.provider_handle]);
      const record = await portalRecordOf(context, REQUESTER, inquiryId);
      const records = await context.databases.count(MYNA_PORTAL, 'SELECT count(*) FROM exchange_record WHERE handle = $1', [record.handle]);
      if (exchanges !== 1 || answers !== 1 || records !== 1 || hub.status !== 'answered') doubles.push(`${inquiryId}: ${exchanges} hub exchanges (${hub.status}), ${answers} answers at tax, ${records} portal records`);
    }
    context.check(
      'nothing done twice: one hub exchange, one answer at tax and one portal record per inquiry',
      doubles.length === 0,
      doubles.length === 0 ? `${inquiries.length} inquiries, each once at the hub, at tax and at the portal` : doubles.join('; '),
    );
    return context.conclude();
  },
};
