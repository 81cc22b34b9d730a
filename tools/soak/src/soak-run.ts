// `npm run soak`: a federation of its own, exchanges at a steady rate, faults on
// a seeded schedule, then the audit of every exchange at every party.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { bullConnection, DELIVERY_OPTIONS } from '@myna/messaging';
import { OperatorClient } from '@myna/operator-client';
import { AGENCIES, CODE_ISSUER, EXCHANGE_HUB, HEALTH_AGENCY, inboundQueues, MYNA_PORTAL, PENSION_AGENCY, type Service, TAX_AGENCY } from '@myna/protocol';
import { pollUntil } from '@myna-tools/federation-host';
import { describeFault, faultSchedule, type ScheduledFault } from './fault-schedule';
import { auditSoak, verdictIsClean, type SoakStores, type SoakVerdict } from './soak-audit';
import { driveInquiries, enrolSoakCitizens, soakRequests, type DriveResult } from './soak-drive';
import { SoakFederation } from './soak-federation';
import type { SoakOptions } from './soak-args';

export interface FaultEvent {
  atSeconds: number;
  fault: string;
  /** Until the process or server was back (started again and, for Redis and PostgreSQL, answering). */
  recoveredMs: number;
  error?: string;
}

export interface DeadLetterFigures {
  service: Service;
  letters: number;
  withoutReason: number;
  replayed: number;
  /** After the replay: buried again with a reason, or consumed. */
  settled: number;
}

export interface SoakReport {
  options: Omit<SoakOptions, 'help' | 'keep'>;
  startedAt: string;
  setupSeconds: number;
  drive: DriveResult & { acceptedCount: number };
  settleSeconds: number;
  faults: FaultEvent[];
  restarts: Record<string, number>;
  unexpectedDeaths: string[];
  verdict: SoakVerdict;
  deadLetters: DeadLetterFigures[];
  /** The audit again after every dead letter was replayed: it must not have moved. */
  afterReplay: { unchanged: boolean; difference?: string };
  clean: boolean;
  dir: string;
}

const QUEUE_PARTIES: readonly Service[] = [EXCHANGE_HUB, TAX_AGENCY, PENSION_AGENCY, HEALTH_AGENCY, MYNA_PORTAL];

async function query<T>(url: string, sql: string): Promise<T[]> {
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query(sql)).rows as T[];
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** What every party stored, read as the auditor reads it: straight from each database. */
export async function readStores(federation: SoakFederation, accepted: SoakStores['accepted']): Promise<SoakStores> {
  const urls = federation.databaseUrls;
  const requester = (
    await Promise.all(
      AGENCIES.map(async (agency) =>
        (await query<{ id: string; provider: string; rule: string; status: string; reason: string | null }>(urls[agency], 'SELECT id, provider, rule, status, reason FROM inquiry')).map((row) => ({ ...row, requester: agency })),
      ),
    )
  ).flat();
  const provider = (
    await Promise.all(
      AGENCIES.map(async (agency) =>
        (await query<{ handle: string; requester: string; rule: string; outcome: string }>(urls[agency], 'SELECT handle, requester, rule, outcome FROM provided_exchange')).map((row) => ({ ...row, provider: agency })),
      ),
    )
  ).flat();
  const hub = await query<SoakStores['hub'][number]>(
    urls[EXCHANGE_HUB],
    'SELECT requester, inquiry_id AS "inquiryId", provider, rule, status, provider_handle AS "providerHandle", portal_handle AS "portalHandle" FROM exchange',
  );
  const portal = await query<SoakStores['portal'][number]>(urls[MYNA_PORTAL], 'SELECT handle, status, requester, provider, rule FROM exchange_record');
  return { requester, provider, hub, portal, accepted };
}

function settled(stores: SoakStores): boolean {
  const closed = stores.hub.filter((row) => row.status !== 'delivered').length;
  return stores.requester.every((row) => row.status !== 'pending') && closed === stores.hub.length && stores.portal.length >= closed;
}

/** Set while a soak runs: kills everything it started at once (Ctrl-C). */
export let killSoakNow: (() => void) | undefined;

export async function runSoak(options: SoakOptions, root: string, say: (line: string) => void): Promise<SoakReport> {
  const startedAt = new Date();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'myna-soak-'));
  say(`soak: ${options.exchanges} exchanges at ${options.rate}/s, ${options.faults} faults about every ${options.faultIntervalSeconds} s, seed ${options.seed}, ${options.databases === 'postgres' ? 'a private PostgreSQL cluster' : 'embedded databases'}; state in ${dir}`);
  const federation = await SoakFederation.start({ root, dir, portBase: options.portBase, databases: options.databases, say });
  killSoakNow = () => federation.supervisor.killAllNow();
  try {
    const operators = new OperatorClient({ credentialsDir: path.join(federation.keysDir, 'operators'), urls: federation.urls, timeoutMs: 30_000 });
    say(`enrolling ${options.people} citizens at every agency…`);
    const personIds = await enrolSoakCitizens(operators, options.people, String(options.seed));
    const setupSeconds = (Date.now() - startedAt.getTime()) / 1000;
    say(`federation up and enrolled after ${setupSeconds.toFixed(0)} s`);

    const schedule = faultSchedule({
      seed: options.seed,
      count: options.faults,
      intervalMs: options.faultIntervalSeconds * 1000,
      processes: federation.processes,
      databases: options.databases === 'postgres' ? 'cluster' : [CODE_ISSUER, EXCHANGE_HUB, TAX_AGENCY, PENSION_AGENCY, HEALTH_AGENCY, MYNA_PORTAL],
    });
    const driveStart = Date.now();
    const faults: FaultEvent[] = [];
    const injectFaults = async (plan: readonly ScheduledFault[]) => {
      for (const { atMs, fault } of plan) {
        const wait = driveStart + atMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const began = Date.now();
        const event: FaultEvent = { atSeconds: Math.round((began - driveStart) / 100) / 10, fault: describeFault(fault), recoveredMs: 0 };
        try {
          if (fault.kind === 'kill') await federation.kill(fault.service, fault.role);
          else if (fault.kind === 'restart-redis') await federation.restartRedis();
          else await federation.restartPostgres(fault.service);
        } catch (error) {
          event.error = error instanceof Error ? error.message : String(error);
        }
        event.recoveredMs = Date.now() - began;
        faults.push(event);
        say(`  fault ${faults.length}/${plan.length} at ${event.atSeconds} s: ${event.fault} (${event.error ? `FAILED: ${event.error}` : `back in ${event.recoveredMs} ms`})`);
      }
    };
    // Messages no party can read, on every lane, so that there are dead letters to check and replay.
    const poisoned = await poisonLanes(federation);
    say(`driving… (and ${poisoned} unreadable messages on the consumers' lanes, for their dead-letter queues)`);
    const [drive] = await Promise.all([
      driveInquiries({ operators, requests: soakRequests(), personIds, count: options.exchanges, rate: options.rate, seed: options.seed, onProgress: (done) => say(`  ${done} inquiries started`) }),
      injectFaults(schedule),
    ]);
    say(`drive done: ${drive.accepted.length} of ${drive.attempted} accepted in ${drive.seconds.toFixed(0)} s; waiting for every exchange to settle…`);

    const settleStart = Date.now();
    await federation.waitAllHealthy(Date.now() + 300_000);
    let lastWord = Date.now();
    let stores = await pollUntil(async () => {
      const current = await readStores(federation, drive.accepted);
      if (Date.now() - lastWord > 30_000) {
        lastWord = Date.now();
        say(`  still open: ${current.requester.filter((row) => row.status === 'pending').length} inquiries pending, ${current.hub.filter((row) => row.status === 'delivered').length} exchanges delivered and unanswered`);
      }
      return settled(current) ? current : undefined;
    }, { deadline: Date.now() + options.settleSeconds * 1000, intervalMs: 2000 });
    stores ??= await readStores(federation, drive.accepted);
    const settleSeconds = (Date.now() - settleStart) / 1000;
    const verdict = auditSoak(stores);

    say('dead letters: listing and replaying each…');
    const deadLetters = await replayDeadLetters(operators);
    const afterStores = await pollUntil(async () => {
      const current = await readStores(federation, drive.accepted);
      return settled(current) ? current : undefined;
    }, { deadline: Date.now() + 120_000, intervalMs: 2000 }) ?? (await readStores(federation, drive.accepted));
    const after = auditSoak(afterStores);
    const difference = JSON.stringify(after.figures) === JSON.stringify(verdict.figures) ? undefined : `before ${JSON.stringify(verdict.figures)}, after ${JSON.stringify(after.figures)}`;

    const restarts: Record<string, number> = {};
    for (const { service, role } of federation.processes) restarts[`${service} ${role}`] = federation.restartsOf(service, role);
    const report: SoakReport = {
      options: { exchanges: options.exchanges, rate: options.rate, faults: options.faults, faultIntervalSeconds: options.faultIntervalSeconds, seed: options.seed, databases: options.databases, portBase: options.portBase, people: options.people, settleSeconds: options.settleSeconds, json: options.json },
      startedAt: startedAt.toISOString(),
      setupSeconds,
      drive: { ...drive, accepted: [], acceptedCount: drive.accepted.length },
      settleSeconds,
      faults,
      restarts,
      unexpectedDeaths: federation.unexpectedDeaths,
      verdict,
      deadLetters,
      afterReplay: { unchanged: difference === undefined, ...(difference ? { difference } : {}) },
      clean: false,
      dir,
    };
    report.clean =
      verdictIsClean(verdict) &&
      verdictIsClean(after) &&
      report.afterReplay.unchanged &&
      deadLetters.every((figures) => figures.withoutReason === 0 && figures.settled === figures.replayed) &&
      faults.every((fault) => !fault.error);
    return report;
  } finally {
    killSoakNow = undefined;
    await federation.stop();
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function poisonLanes(federation: SoakFederation): Promise<number> {
  let count = 0;
  for (const party of QUEUE_PARTIES) {
    for (const lane of inboundQueues(party)) {
      const queue = new Queue(lane, { connection: bullConnection(federation.redisAdminUrl), prefix: federation.redisPrefix });
      try {
        await queue.add('inquiry', { token: 42 }, { ...DELIVERY_OPTIONS, jobId: randomUUID() });
        await queue.add('delivery', { token: 'not.a.token' }, { ...DELIVERY_OPTIONS, jobId: randomUUID() });
        count += 2;
      } finally {
        await queue.close();
      }
    }
  }
  return count;
}

/** Every dead letter must carry a code and a reason; each is replayed, and must come back buried with a reason, or be consumed. */
async function replayDeadLetters(operators: OperatorClient): Promise<DeadLetterFigures[]> {
  type Letter = { id: string; code?: string; reason?: string; replays: number };
  const list = async (service: Service) => (await operators.as(service, 'dead-letter-admin').expect<{ deadLetters: Letter[] }>('GET', '/operator/dead-letters', undefined, [200])).body.deadLetters;
  const figures: DeadLetterFigures[] = [];
  for (const service of QUEUE_PARTIES) {
    const letters = await list(service);
    const entry: DeadLetterFigures = { service, letters: letters.length, withoutReason: letters.filter((letter) => !letter.code || !letter.reason).length, replayed: 0, settled: 0 };
    for (const letter of letters) {
      const answer = await operators.as(service, 'dead-letter-admin').request('POST', `/operator/dead-letters/${encodeURIComponent(letter.id)}/replay`);
      if (answer.status === 200 || answer.status === 201) entry.replayed++;
    }
    const replayedAt = new Date(Date.now() - 1000).toISOString();
    const back = await pollUntil(async () => {
      const now = new Map((await list(service)).map((letter) => [letter.id, letter as Letter & { failedAt: string }]));
      // Consumed, or buried again: its replay counted and its new failure recorded, with a reason.
      const done = letters.filter((letter) => {
        const again = now.get(letter.id);
        return !again || (again.replays > letter.replays && Boolean(again.code && again.reason) && again.failedAt >= replayedAt);
      }).length;
      return done === letters.length ? done : undefined;
    }, { deadline: Date.now() + 120_000, intervalMs: 1000 });
    entry.settled = back ?? 0;
    figures.push(entry);
  }
  return figures;
}

export function formatSoakReport(report: SoakReport): string {
  const { verdict, drive } = report;
  const lines = [
    `soak report (${report.startedAt}, seed ${report.options.seed}, ${report.options.databases === 'postgres' ? 'private PostgreSQL cluster' : 'embedded PGlite'})`,
    `  exchanges: ${drive.attempted} started at ${report.options.rate}/s over ${drive.seconds.toFixed(0)} s; ${drive.acceptedCount} accepted (202)${Object.keys(drive.refused).length ? `; refused: ${Object.entries(drive.refused).map(([why, n]) => `${n} × ${why}`).join(', ')}` : ''}`,
    `  settled ${report.settleSeconds.toFixed(0)} s after the drive; setup took ${report.setupSeconds.toFixed(0)} s`,
    `  requester: ${verdict.figures.inquiries} inquiries ${JSON.stringify(verdict.figures.byRequesterStatus)}; ${verdict.figures.refusedAtTheDoor} refused at the door (503: the hub's queue was down)`,
    `  hub: ${JSON.stringify(verdict.figures.byHubStatus)}; provider answers: ${verdict.figures.providerAnswers}; portal records: ${verdict.figures.portalRecords}`,
    `  lost ${verdict.lost.length}, duplicated ${verdict.duplicated.length}, stuck ${verdict.stuck.length}, inconsistent ${verdict.inconsistent.length}, denied that reached a provider ${verdict.deniedReachedProvider.length}`,
    ...[...verdict.lost, ...verdict.duplicated, ...verdict.stuck, ...verdict.inconsistent, ...verdict.deniedReachedProvider].slice(0, 20).map((line) => `    - ${line}`),
    `  dead letters: ${report.deadLetters.map((entry) => `${entry.service} ${entry.letters} (${entry.withoutReason} without reason, ${entry.replayed} replayed, ${entry.settled} settled)`).join('; ')}`,
    `  after replaying them: ${report.afterReplay.unchanged ? 'every figure unchanged' : `CHANGED: ${report.afterReplay.difference}`}`,
    `  processes that died unasked: ${report.unexpectedDeaths.length}${report.unexpectedDeaths.length ? `\n${report.unexpectedDeaths.map((line) => `    - ${line}`).join('\n')}` : ''}`,
    `  fault timeline (${report.faults.length} faults):`,
    ...report.faults.map((fault) => `    ${String(fault.atSeconds).padStart(7)} s  ${fault.fault}: ${fault.error ? `FAILED ${fault.error}` : `back in ${fault.recoveredMs} ms`}`),
    `  restarts: ${Object.entries(report.restarts).map(([name, n]) => `${name} ${n}`).join(', ')}`,
    `  verdict: ${report.clean ? 'PASS: nothing lost, duplicated or stuck' : 'FAIL'}`,
  ];
  return lines.join('\n');
}
