/** Injection token: the party whose queues a MessagingModule serves. */
export const MESSAGING_PARTY = Symbol('MESSAGING_PARTY');
