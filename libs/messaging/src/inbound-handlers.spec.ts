import { Injectable, Module, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { JOB_NAMES } from '@myna/protocol';
import { InboundHandler, type InboundMessageHandler } from './inbound-handler';
import { InboundHandlers, indexHandlers } from './inbound-handlers';
import { MESSAGING_PARTY } from './messaging-party';

@InboundHandler(JOB_NAMES.delivery)
class DeliveryHandler implements InboundMessageHandler {
  async handle(): Promise<void> {}
}

@InboundHandler(JOB_NAMES.result)
class ResultHandler implements InboundMessageHandler {
  async handle(): Promise<void> {}
}

@InboundHandler(JOB_NAMES.result)
class AnotherResultHandler implements InboundMessageHandler {
  async handle(): Promise<void> {}
}

@InboundHandler(JOB_NAMES.inquiry)
class InquiryHandler implements InboundMessageHandler {
  async handle(): Promise<void> {}
}

/** Not a handler: discovery passes it by. */
@Injectable()
class Bystander {}

/** The party's module provides its handlers; the edge's registry, in another module, finds them. */
async function startAgencyWith(handlers: Type[]): Promise<InboundHandlers> {
  @Module({ providers: [...handlers, Bystander] })
  class AgencyHandlersModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule, AgencyHandlersModule],
    providers: [InboundHandlers, { provide: MESSAGING_PARTY, useValue: 'tax-agency' }],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(InboundHandlers);
}

describe('inbound handlers, found at start-up by their declaration', () => {
  it('finds one handler per message the party receives, in whichever module provides it', async () => {
    const handlers = await startAgencyWith([DeliveryHandler, ResultHandler]);
    expect(handlers.get('delivery')).toBeInstanceOf(DeliveryHandler);
    expect(handlers.get('result')).toBeInstanceOf(ResultHandler);
    expect(handlers.get('mystery')).toBeUndefined();
  });

  it('fails the start on a second handler for one job name', async () => {
    await expect(startAgencyWith([DeliveryHandler, ResultHandler, AnotherResultHandler])).rejects.toThrow(
      "tax-agency: two handlers for job 'result' (ResultHandler and AnotherResultHandler)",
    );
  });

  it('fails the start on a message the party receives but no handler declares', async () => {
    await expect(startAgencyWith([DeliveryHandler])).rejects.toThrow("tax-agency: no handler for job 'result'");
  });

  it('fails the start on a handler for a message the party never receives', async () => {
    await expect(startAgencyWith([DeliveryHandler, ResultHandler, InquiryHandler])).rejects.toThrow(
      "tax-agency: InquiryHandler handles 'inquiry', which tax-agency never receives",
    );
  });

  it('knows each party’s messages from the protocol', () => {
    const declared = (jobName: (typeof JOB_NAMES)[keyof typeof JOB_NAMES]) => ({ jobName, className: jobName, handler: { handle: async () => undefined } });
    expect([...indexHandlers('exchange-hub', [declared('inquiry'), declared('answer')]).keys()]).toEqual(['inquiry', 'answer']);
    expect([...indexHandlers('myna-portal', [declared('exchange-record'), declared('result')]).keys()]).toEqual(['exchange-record', 'result']);
    expect(() => indexHandlers('myna-portal', [declared('exchange-record')])).toThrow("myna-portal: no handler for job 'result'");
  });
});
