// Demo citizens with My Number Cards, so that a person can sign in to the portal
// with the virtual card reader. Safe to rerun: existing citizens and cards are kept.
import * as path from 'node:path';
import { provisionDemoCitizens } from '@myna/card';
import type { LaunchStep } from './steps';

export const demoCitizensStep: LaunchStep = {
  name: 'demo citizens with My Number Cards',
  async run(context) {
    if (context.options.once) return;
    const url = (name: string) => context.services.find((service) => service.plan.name === name)!.url;
    await provisionDemoCitizens({
      urls: {
        'code-issuer': url('code-issuer'),
        'tax-agency': url('tax-agency'),
        'pension-agency': url('pension-agency'),
        'health-agency': url('health-agency'),
      },
      cardStoreDir: path.join(context.paths.dataDir, 'cards'),
      log: context.log,
    });
    context.log(`sign in at ${url('myna-portal')}/login with a demo card: every demo card's PIN is 1234`);
  },
};
