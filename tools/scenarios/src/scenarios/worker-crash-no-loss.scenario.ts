import { spawn, type ChildProcess } from 'node:child_process';
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
const CYCLES = 3;
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

function startWorker(context: ScenarioContext): ChildProcess {
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
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: target.serviceRedisUrls[PROVIDER]!,
      REDIS_PREFIX: target.redisPrefix,
      KEYS_DIR: path.join(target.keysDir, PROVIDER),
      CODE_ISSUER_URL: target.urls[CODE_ISSUER],
      WORKER_CONCURRENCY: '16',
      WORKER_LOCK_MS: String(LOCK_MS),
    },
  });
}

export const workerCrashNoLoss: Scenario = {
  name: 'worker-crash-no-loss',
  claim: 'An exchange is neither lost nor done twice when a provider’s worker dies in the middle of it: another worker takes the job over and the exchange completes exactly once.',
  proves:
    'a worker of tax the runner started is SIGKILLed while it holds deliveries; a job it held is taken over after its lock lapses (BullMQ counts the stall); every inquiry of the burst is answered with tax’s record, with one hub exchange, one answer at tax and one portal record each; a full run where the runner cannot start and kill a worker (the embedded demo, docker compose) names it as not played, with the reason, and named on its own it fails',
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
    let recovered: { id: string; stalledCounter: number }[] = [];
    let killedWith = 0;

    for (let cycle = 1; cycle <= CYCLES && recovered.length === 0; cycle++) {
      const workersBefore = (await lane.getWorkers()).length;
      const worker = startWorker(context);
      const exited = new Promise<string>((resolve) => worker.once('exit', (code, signal) => resolve(signal ?? String(code))));
      await pollUntil(async () => ((await lane.getWorkers()).length > workersBefore ? true : undefined), { timeoutMs: 120_000, intervalMs: 250, what: 'the runner’s worker of tax to connect' });
      context.say('runner', `starts a worker of ${PROVIDER} of its own (pid ${worker.pid}, locks of ${LOCK_MS} ms), beside the federation’s (cycle ${cycle})`);
      const since = Date.now();
      const burst = await Promise.all(
        Array.from({ length: BURST }, (_, index) => context.federation.startInquiry(REQUESTER, citizens[index % citizens.length].personIds[REQUESTER]!, RULE)),
      );
      inquiries.push(...burst);
      context.say(REQUESTER, `asks ${PROVIDER} ${BURST} times for annual income under ${RULE.rule}`);
      const active = await pollUntil(async () => {
        const count = await lane.getActiveCount();
        return count > 0 ? count : undefined;
      }, { timeoutMs: 180_000, intervalMs: 20, what: `deliveries to be in progress at ${PROVIDER}` });
      worker.kill('SIGKILL');
      killedWith = active;
      context.say('runner', `SIGKILLs its worker (${await exited}) while ${active} deliveries are in progress on ${PROVIDER}’s lane`);
      await Promise.all(burst.map((inquiryId) => context.federation.settled(REQUESTER, inquiryId)));
      const jobs = (await lane.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed'])).filter((job) => job && job.timestamp >= since - 1000);
      recovered = jobs.filter((job) => job.stalledCounter > 0).map((job) => ({ id: String(job.id), stalledCounter: job.stalledCounter }));
      if (recovered.length === 0) context.say('runner', 'the killed worker held none of the jobs in progress: again');
    }

    context.check(
      'a job the killed worker held was taken over by another worker once its lock lapsed',
      recovered.length > 0,
      recovered.length > 0
        ? `${recovered.length} job(s) on ${inboundQueue(PROVIDER, EXCHANGE_HUB)} stalled and were processed again (BullMQ's stalled counter: ${recovered.map((job) => job.stalledCounter).join(', ')}); ${killedWith} were in progress at the kill`
        : `in ${CYCLES} kills the runner's worker never held a job: no recovery was observed`,
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
