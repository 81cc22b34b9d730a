import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection } from '@myna/messaging';
import { EXCHANGE_HUB, inboundQueue, redisUrlVariable, SERVICES, type Service, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import type { Scenario, ScenarioContext } from '../runner/scenario';
import { exchange, hubExchangeOf, newCitizen, portalRecordOf } from './scenario-support';

/** The insider: tax's own Redis credentials, as tax's operators (or an intruder on tax's host) hold them. */
const INSIDER: Service = TAX_AGENCY;

type Attempt = { what: string; outcome: 'refused' | 'ALLOWED' | string };

async function attempt(what: string, run: () => Promise<unknown>): Promise<Attempt> {
  try {
    await run();
    return { what, outcome: 'ALLOWED' };
  } catch (error) {
    return { what, outcome: error instanceof Error && /NOPERM/.test(error.message) ? 'refused' : `failed otherwise: ${error instanceof Error ? error.message.slice(0, 80) : String(error)}` };
  }
}

export const redisIsolation: Scenario = {
  name: 'redis-isolation',
  claim:
    'Each service reaches Redis as its own user, allowed only the lanes it sends and receives on: one service can neither read nor write another’s queue, job ids are unpredictable, so no one can take a message’s id before its sender, and Redis never evicts a queued message.',
  proves:
    'every service has a Redis user of its own; tax’s user is refused reading and writing every lane that is not its own, listing keys and watching the server; squatting a job id on another lane is refused, and ids squatted by Redis’s administrator suppress nothing (ids are random); Redis refuses to evict',
  async run(context) {
    const urls = context.target.serviceRedisUrls;
    const missing = SERVICES.filter((service) => !urls[service]);
    context.check(
      'the runner was given each service’s own Redis credentials (the insider’s view)',
      missing.length === 0,
      missing.length === 0 ? `${SERVICES.length} services` : `missing: ${missing.map((service) => redisUrlVariable(service)).join(', ')}`,
    );
    if (missing.length > 0) return context.conclude();

    const users = await Promise.all(
      SERVICES.map(async (service) => {
        const client = new Redis(urls[service]!, { maxRetriesPerRequest: 1, lazyConnect: true });
        try {
          await client.connect();
          return { user: decodeURIComponent(new URL(urls[service]!).username) || 'default', answers: (await client.ping()) === 'PONG' };
        } catch {
          return { user: decodeURIComponent(new URL(urls[service]!).username) || 'default', answers: false };
        } finally {
          client.disconnect();
        }
      }),
    );
    const names = users.map((entry) => entry.user);
    context.check(
      'every service connects as a user of its own',
      new Set(names).size === SERVICES.length && !names.includes('default') && users.every((entry) => entry.answers),
      SERVICES.map((service, index) => `${service}: ${users[index].user}${users[index].answers ? '' : ' (cannot log in)'}`).join(', '),
    );

    const queues: Queue[] = [];
    const asInsider = (name: string) => {
      const queue = new Queue(name, { connection: bullConnection(urls[INSIDER]!), prefix: context.target.redisPrefix });
      queue.on('error', () => undefined);
      queues.push(queue);
      return queue;
    };
    const insider = new Redis(urls[INSIDER]!, { maxRetriesPerRequest: 1 });
    try {
      context.say('attacker', `takes ${INSIDER}'s Redis credentials (an insider at ${INSIDER}) and tries every other lane`);
      const foreign = [inboundQueue(EXCHANGE_HUB, PENSION_AGENCY), inboundQueue(PENSION_AGENCY, EXCHANGE_HUB), inboundQueue(MYNA_PORTAL, EXCHANGE_HUB), `health-agency.dead-letter`];
      const attempts: Attempt[] = [];
      for (const name of foreign) {
        const queue = asInsider(name);
        attempts.push(await attempt(`read ${name}`, () => queue.getJobs(['waiting', 'completed'], 0, 10)));
        attempts.push(await attempt(`count ${name}`, () => queue.getJobCounts('waiting', 'completed')));
        attempts.push(await attempt(`write ${name}`, () => queue.add('result', { token: 'x' }, { jobId: `squat-${context.tag}` })));
      }
      attempts.push(await attempt('list every key (KEYS)', () => insider.keys('*')));
      attempts.push(await attempt('scan the key space (SCAN)', () => insider.scan('0')));
      attempts.push(await attempt('read the server’s configuration', () => insider.call('CONFIG', 'GET', '*')));
      attempts.push(await attempt('watch every command (MONITOR)', () => insider.call('MONITOR')));
      attempts.push(await attempt('list the clients', () => insider.call('CLIENT', 'LIST')));
      const own = await attempt(`count its own lane ${inboundQueue(INSIDER, EXCHANGE_HUB)} (control)`, () => asInsider(inboundQueue(INSIDER, EXCHANGE_HUB)).getJobCounts('completed'));
      context.check(
        `${INSIDER}'s user can neither read nor write another party's lane, list keys or watch the server; its own lane it can (control)`,
        attempts.every((entry) => entry.outcome === 'refused') && own.outcome === 'ALLOWED',
        [...attempts, own].map((entry) => `${entry.what}: ${entry.outcome}`).join('; '),
        { attempts, own },
      );

      // Squatting: the administrator (anyone who got that far) creates jobs under every id it could guess.
      const citizen = await newCitizen(context, 'a new citizen', { at: [TAX_AGENCY, PENSION_AGENCY] });
      const lanes = [inboundQueue(PENSION_AGENCY, EXCHANGE_HUB), inboundQueue(MYNA_PORTAL, EXCHANGE_HUB), inboundQueue(EXCHANGE_HUB, TAX_AGENCY)];
      // Guesses of its own for each lane, as every message has an id of its own: the parties that refuse
      // them keep these ids, and no two parties are to keep the same value, even one an attacker chose.
      const guessesPerLane = 20;
      const guesses: string[] = [];
      for (const lane of lanes) {
        const queue = context.queues.queue(lane);
        for (let i = 0; i < guessesPerLane; i++) {
          const id = randomUUID();
          guesses.push(id);
          await queue.add('result', { token: 'squatted' }, { jobId: id, removeOnComplete: true, removeOnFail: true });
        }
      }
      context.say('attacker', `as Redis's administrator, creates ${guessesPerLane} jobs under guessed ids on each of ${lanes.join(', ')} before pension asks`);
      const asked = await exchange(context, PENSION_AGENCY, citizen, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income' });
      const record = await portalRecordOf(context, PENSION_AGENCY, asked.id);
      const row = await hubExchangeOf(context, PENSION_AGENCY, asked.id);
      context.check(
        'squatted ids suppress nothing: the exchange completes, the result and the record arrive, and no real message id was guessed',
        asked.status === 'answered' && record.status === 'permitted' && !guesses.includes(row.answer_message_id ?? '') && !guesses.includes(asked.id),
        `pension's inquiry ${asked.status}, the portal's record ${record.status}; the answer's id ${row.answer_message_id} and the inquiry's ${asked.id} are among none of the ${guesses.length} guesses (ids are random UUIDs, not derived from any exchange)`,
      );
    } finally {
      insider.disconnect();
      await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
    }

    await evictionPolicy(context);
    return context.conclude();
  },
};

async function evictionPolicy(context: ScenarioContext): Promise<void> {
  const admin = new Redis(context.target.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const policy = /^maxmemory_policy:(\S+)/m.exec(await admin.info('memory'))?.[1];
    context.check(
      'Redis never evicts a queued message (maxmemory-policy noeviction; every service refuses to start on another)',
      policy === 'noeviction',
      `maxmemory_policy: ${policy ?? 'unknown'}`,
    );
  } finally {
    admin.disconnect();
  }
}
