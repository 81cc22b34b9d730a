// Demo citizens with My Number Cards, so that a person can sign in to the portal
// with the card reader. Safe to rerun: existing citizens and cards are kept.
// The demo acts here as the municipal office: code-issuer's registrar and each
// agency's officer, with the credentials the key ceremony gave them.
import * as path from 'node:path';
import { provisionDemoCitizens } from '@myna/card-wallet';
import { OperatorClient } from '@myna/operator-client';
import { operatorCredentialsDir } from '@myna/protocol';
import type { LaunchStep } from './steps';

export const demoCitizensStep: LaunchStep = {
  name: 'demo citizens with My Number Cards',
  async run(context) {
    if (context.options.once) return;
    const operators = new OperatorClient({
      credentialsDir: operatorCredentialsDir(path.join(context.paths.dataDir, 'keys')),
      urls: Object.fromEntries(context.services.map(({ plan, url }) => [plan.name, url])),
    });
    await provisionDemoCitizens({ operators, cardStoreDir: path.join(context.paths.dataDir, 'cards'), log: context.log });
    const portal = context.services.find(({ plan }) => plan.name === 'myna-portal')!.url;
    context.log(`sign in at ${portal}/login with a demo card (the card reader at ${context.cardReaderUrl} holds them): every demo card's PIN is 1234`);
  },
};
