import { generateKeyPair, SignJWT } from 'jose';
import { decryptForMe, EXCHANGE_HUB, MYNA_PORTAL, PENSION_AGENCY, TAX_AGENCY } from '@myna/protocol';
import { codeForms, findSecrets, readableParts, type SecretForm } from '../analysis/token-layers';
import type { Scenario } from '../runner/scenario';
import { pollUntil } from '../runner/poll';
import { markDatabases, showExchangeViews } from './exchange-views';
import { agencyCodeOf, exchange, hubExchangeOf, newCitizen, portalRecordOf, tokenOnLane } from './scenario-support';

export const noMyNumberInTransit: Scenario = {
  name: 'no-my-number-in-transit',
  claim:
    'Agencies exchange information with agency-specific codes, never the My Number: nothing that travels through the queues of an exchange carries a My Number, a residence code, a name or address, any party’s code in the clear, or the answer in the clear.',
  proves:
    'Redis MONITOR records every queue write of a real exchange; the five messages (inquiry, delivery, answer, result, record) and all captured traffic, decoded layer by layer, hold none of the citizen’s identifiers, codes or data',
  async run(context) {
    const citizen = await newCitizen(context, 'a new citizen', { at: [TAX_AGENCY, PENSION_AGENCY] });
    const taxCode = await agencyCodeOf(context, TAX_AGENCY, citizen.personIds[TAX_AGENCY]!);
    const pensionCode = await agencyCodeOf(context, PENSION_AGENCY, citizen.personIds[PENSION_AGENCY]!);

    const marks = await markDatabases(context);
    context.say('attacker', `watches Redis (${context.target.redisPrefix}:*) with MONITOR: every command, every message written to a queue`);
    const { result: inquiry, commands } = await context.queues.capture(async () => {
      const settled = await exchange(context, PENSION_AGENCY, citizen, { provider: TAX_AGENCY, rule: 'R-PEN-TAX-INCOME', item: 'annual-income', parameters: { fiscalYear: 2025 } });
      await portalRecordOf(context, PENSION_AGENCY, settled.id);
      return settled;
    });
    context.check(
      'the exchange itself worked: pension received tax’s answer',
      inquiry.status === 'answered' && (inquiry.result as { incomeYen?: number } | null)?.incomeYen === citizen.incomeYen,
      `status ${inquiry.status}, result ${JSON.stringify(inquiry.result)}`,
    );
    const hubExchange = await hubExchangeOf(context, PENSION_AGENCY, inquiry.id);
    const portalCode = (await portalRecordOf(context, PENSION_AGENCY, inquiry.id)).portal_code;
    await showExchangeViews(context, marks, {
      variant: 'permitted',
      title: 'Pension asks tax for the citizen’s annual income (permitted)',
      outcome: `pension-agency’s inquiry: ${inquiry.status}${inquiry.result ? `, ${JSON.stringify(inquiry.result)}` : ''}`,
      secrets: {
        myNumber: citizen.myNumber,
        residenceCode: citizen.residenceCode,
        codes: { [TAX_AGENCY]: taxCode, [PENSION_AGENCY]: pensionCode, ...(portalCode ? { [MYNA_PORTAL]: portalCode } : {}) },
        answer: { label: 'the answer: tax’s income figure (所得)', value: String(citizen.incomeYen), holders: [TAX_AGENCY, PENSION_AGENCY] },
      },
    });

    // Every message of the exchange, as it sits on the lanes (completed jobs are kept). The auditor finds
    // each by the ids the hub's log holds; the delivery (a JWE for tax) is the one tax answered.
    const messages: { what: string; find: () => Promise<string | undefined> }[] = [
      { what: 'inquiry (pension → hub)', find: () => context.queues.tokenOf(EXCHANGE_HUB, PENSION_AGENCY, inquiry.id) },
      { what: 'delivery (hub → tax, the opaque token)', find: () => deliveryTo(hubExchange.provider_handle) },
      { what: 'answer (tax → hub)', find: () => context.queues.tokenOf(EXCHANGE_HUB, TAX_AGENCY, hubExchange.answer_message_id ?? '') },
      { what: 'result (hub → pension)', find: () => tokenOnLane(context, { to: PENSION_AGENCY, from: EXCHANGE_HUB }, 'result', (claims) => claims?.inquiryId === inquiry.id) },
      { what: 'exchange record (hub → portal)', find: () => tokenOnLane(context, { to: MYNA_PORTAL, from: EXCHANGE_HUB }, 'exchange-record', (claims) => claims?.handle === hubExchange.portal_handle) },
    ];
    async function deliveryTo(handle: string | null): Promise<string | undefined> {
      const tax = await context.keys.ring(TAX_AGENCY).catch(() => undefined);
      for (const job of await context.queues.jobsOn(TAX_AGENCY, EXCHANGE_HUB)) {
        const token = (job.data as { token?: string }).token;
        if (!token) continue;
        // Without tax's key the newest delivery is the best guess; with it, the auditor checks the handle.
        if (!tax) return token;
        const claims = await decryptForMe(tax, token).then((jws) => JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as { handle?: string }, () => undefined);
        if (claims?.handle === handle) return token;
      }
      return undefined;
    }
    const tokens: { what: string; token: string }[] = [];
    for (const message of messages) {
      const token = await pollUntil(message.find, { timeoutMs: 10_000, what: `the ${message.what}` }).catch(() => undefined);
      if (token) tokens.push({ what: message.what, token });
    }
    context.check(
      'every message of the exchange was captured from the queues',
      tokens.length === messages.length,
      `${tokens.length} of ${messages.length}: ${tokens.map((entry) => entry.what).join('; ')}`,
    );
    const traffic = commands.join('\n');
    context.check(
      'MONITOR saw the exchange go by',
      commands.length > 0 && traffic.includes(inquiry.id) && tokens.every((entry) => traffic.includes(entry.token)),
      `${commands.length} commands under the prefix; the inquiry id and all ${tokens.length} message tokens are among them`,
    );
    for (const entry of tokens) {
      const parts = readableParts(entry.token);
      context.measure(
        `what anyone with Redis access reads of the ${entry.what}`,
        parts.kind === 'JWE'
          ? `a JWE (${String(parts.header?.alg)}, ${String(parts.header?.enc)}, for key ${String(parts.header?.kid)}): nothing else`
          : `a JWS (${String(parts.header?.typ)}, signed by ${String(parts.header?.kid)}) whose claims are readable: ${parts.claims?.join(', ')}`,
        parts,
      );
    }

    const secrets: SecretForm[] = [
      { form: citizen.myNumber, label: 'the My Number' },
      { form: citizen.residenceCode, label: 'the residence code' },
      { form: citizen.name, label: 'the name' },
      { form: citizen.address, label: 'the address' },
      { form: String(citizen.incomeYen), label: 'the income (tax’s answer) in the clear' },
      ...codeForms(taxCode, 'tax’s code for the citizen'),
      ...codeForms(pensionCode, 'pension’s code for the citizen'),
      ...(portalCode ? codeForms(portalCode, 'the portal’s code for the citizen') : []),
    ];

    // Control: the search does find a My Number hidden in a signed token.
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const planted = await new SignJWT({ myNumber: citizen.myNumber }).setProtectedHeader({ alg: 'EdDSA' }).sign(privateKey);
    const control = await findSecrets(JSON.stringify({ token: planted }), secrets);
    context.check('the search finds a My Number hidden inside a signed token (control)', control.includes('the My Number'), `found: ${control.join(', ') || 'nothing'}`);

    const inMessages = await findSecrets(tokens.map((entry) => entry.token).join('\n'), secrets);
    context.check(
      'no message of the exchange carries the citizen’s identifiers, codes or data, at any layer an eavesdropper can decode',
      inMessages.length === 0,
      inMessages.length === 0 ? `searched ${tokens.length} messages for ${secrets.length} forms (${[...new Set(secrets.map((secret) => secret.label))].join(', ')}): none found` : `found ${inMessages.join(', ')}`,
    );
    const inTraffic = await findSecrets(traffic, secrets);
    context.check(
      'nothing written to Redis during the exchange carries them either',
      inTraffic.length === 0,
      inTraffic.length === 0 ? `searched ${commands.length} commands (${traffic.length} characters): none found` : `found ${inTraffic.join(', ')}`,
    );
    return context.conclude();
  },
};
