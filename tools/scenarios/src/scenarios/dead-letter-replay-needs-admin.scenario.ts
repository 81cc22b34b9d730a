import { randomUUID } from 'node:crypto';
import { EXCHANGE_HUB, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import type { DeadLetterView } from '../federation/federation-client';
import { pollUntil } from '../runner/poll';
import type { Scenario } from '../runner/scenario';
import { allRefused, describeKnocks, knock } from './door-support';

export const deadLetterReplayNeedsAdmin: Scenario = {
  name: 'dead-letter-replay-needs-admin',
  claim: 'What a service could not process waits for its dead-letter admin: no one else lists the dead letters or puts one back on the queue.',
  proves:
    'a message tax refused lands among its dead letters with a code and a reason; listing them and replaying it are refused without credentials, with a made-up token, with another service’s admin and with tax’s own officer; the letter is not replayed; tax’s dead-letter admin replays it (control)',
  async run(context) {
    const jobId = `scenario-${context.tag}-${randomUUID()}`;
    context.say('attacker', 'puts a message that is not one on tax’s queue, so that it dies');
    await context.queues.inject(TAX_AGENCY, EXCHANGE_HUB, 'delivery', { token: 'not-a-token', extra: true }, jobId);
    const letter = await pollUntil(
      async () => (await context.federation.deadLetters(TAX_AGENCY)).find((candidate: DeadLetterView) => candidate.id === jobId),
      { what: `the dead letter ${jobId}` },
    );
    context.say(TAX_AGENCY, `buries it: ${letter.code} — ${letter.reason}`);
    context.check('the dead letter carries a code and a reason', letter.code === 'malformed-payload' && letter.reason.length > 0, `${letter.code}: ${letter.reason}`);

    const list = await knock(context, TAX_AGENCY, 'GET', '/operator/dead-letters', { wrongRoles: ['agency-officer'], otherService: { service: EXCHANGE_HUB, role: 'dead-letter-admin' } });
    const replay = await knock(context, TAX_AGENCY, 'POST', `/operator/dead-letters/${jobId}/replay`, { wrongRoles: ['agency-officer', 'records-clerk'], otherService: { service: PENSION_AGENCY, role: 'dead-letter-admin' } });
    context.check('no one but tax’s dead-letter admin lists tax’s dead letters', allRefused(list) && list.every((attempt) => !attempt.text.includes(jobId)), describeKnocks(list));
    context.check('no one but tax’s dead-letter admin replays one', allRefused(replay), describeKnocks(replay));
    const untouched = (await context.federation.deadLetters(TAX_AGENCY)).find((candidate) => candidate.id === jobId);
    context.check('the letter was not replayed', untouched?.replays === 0, `replays: ${untouched?.replays}`);

    const replayed = await context.federation.request(TAX_AGENCY, 'POST', `/operator/dead-letters/${jobId}/replay`, { as: 'dead-letter-admin' });
    const after = await pollUntil(async () => {
      const found = (await context.federation.deadLetters(TAX_AGENCY)).find((candidate) => candidate.id === jobId);
      return found && found.replays === 1 ? found : undefined;
    }, { what: 'the replayed letter to be counted' });
    context.check('tax’s dead-letter admin replays it (control): it dies again, its replay counted', [200, 201].includes(replayed.status) && after.replays === 1, `POST …/replay as the admin: ${replayed.status}; replays: ${after.replays}`);
    return context.conclude();
  },
};
