// Demo citizens with My Number Cards, so that a person can sign in to the portal
// with the card reader. Safe to rerun: existing citizens and cards are kept.
// The demo acts here as the municipal office: code-issuer's registrar and each
// agency's officer, with the credentials the key ceremony gave them.
import { DEMO_PIN, provisionDemoCitizens } from '@myna/card-wallet';
import { OperatorClient } from '@myna/operator-client';
import type { LaunchStep } from './steps';

export const demoCitizensStep: LaunchStep = {
  name: 'demo citizens with My Number Cards',
  async run(context) {
    if (context.options.once) return;
    const operators = new OperatorClient({
      credentialsDir: context.paths.operatorCredentialsDir,
      urls: Object.fromEntries(context.services.map(({ plan, url }) => [plan.name, url])),
    });
    const cards = await provisionDemoCitizens({ operators, cardStoreDir: context.paths.cardsDir, log: context.detail });
    const made = cards.filter((card) => card.created).length;
    context.log(`demo citizens: ${cards.length} with My Number Cards in the card reader${made > 0 ? ` (${made} new)` : ''}`);
    context.closing.signIn = { holders: cards.map((card) => card.holder), pin: cards[0]?.pin ?? DEMO_PIN };
  },
};
