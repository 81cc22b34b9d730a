import { CODE_HOLDERS, EXCHANGE_HUB, type Service } from '../parties';

/**
 * One queue per (sender, receiver) lane, `<receiver>.from.<sender>`: a party's
 * Redis user may write the lanes it sends on and read the lanes it receives on,
 * and nothing of another pair's lane. Every exchange message passes the hub.
 */
export function inboundQueue(to: Service, from: Service): string {
  return `${to}.from.${from}`;
}

/** Who may send to a party: the code holders to the hub, the hub to each code holder. */
export function sendersTo(party: Service): readonly Service[] {
  if (party === EXCHANGE_HUB) return CODE_HOLDERS;
  return (CODE_HOLDERS as readonly Service[]).includes(party) ? [EXCHANGE_HUB] : [];
}

/** Every lane a party consumes. */
export function inboundQueues(party: Service): string[] {
  return sendersTo(party).map((from) => inboundQueue(party, from));
}

/** Where a party's jobs go when they cannot be processed, with the reason. */
export function deadLetterQueue(party: Service): string {
  return `${party}.dead-letter`;
}
