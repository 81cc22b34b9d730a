import type { Service } from '../parties';

/** Each party consumes exactly one inbound queue. */
export function inboundQueue(party: Service): string {
  return `${party}.inbound`;
}

/** Where a party's jobs go when they cannot be processed, with the reason. */
export function deadLetterQueue(party: Service): string {
  return `${party}.dead-letter`;
}
