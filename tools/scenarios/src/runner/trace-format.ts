import type { Service } from '@myna/protocol';
import type { ColumnClass, JoinCategory } from '../analysis/join-attack';

/**
 * The structured part of a scenario's trace, read by reports/index.html: the
 * messages the queues carried while the scenario ran, decoded as each party could
 * decode them, and exhibits (one exchange seen by every party, the join attack).
 * Every value comes from the real system; long ones are shortened (`shown`), never altered.
 */

/** One layer of a message, and what each party the runner held keys for could make of it. */
export type DecodedLayer = JwsLayer | JweLayer | CodeCiphertextLayer | OpaqueLayer;

export interface JwsLayer {
  kind: 'jws';
  /** The protected header, readable by anyone. */
  header: Record<string, string>;
  /** Whose signing key the header's `kid` names, by the directory in the key files. */
  signer?: Service;
  /** `none`: alg none; `unknown-key`: no service has that key id; `not-checked`: the runner held no key file. */
  signature: 'valid' | 'invalid' | 'none' | 'unknown-key' | 'not-checked';
  /** The payload's claims, readable by anyone (a JWS is signed, not encrypted). */
  claims: DecodedClaim[];
}

export interface DecodedClaim {
  name: string;
  /** The value, shortened; absent when it is a nested layer. */
  value?: string;
  layer?: DecodedLayer;
}

/** What decrypting with one party's own key gave. */
export interface KeyAttempt {
  party: Service;
  opened: boolean;
  /** Why not, in the words of the code that tried (e.g. `not-for-me: encrypted for key …`). */
  reason?: string;
}

export interface JweLayer {
  kind: 'jwe';
  header: Record<string, string>;
  /** Whose encryption key the header's `kid` names. */
  recipient?: Service;
  ciphertext: string;
  ciphertextLength: number;
  /** One per party whose key file the runner held; parties it did not hold were not tried. */
  attempts: KeyAttempt[];
  /** What the party that opened it read inside. */
  inner?: DecodedLayer;
}

/** An agency code encrypted (ElGamal) to one party: only that party's key turns it into a code it holds. */
export interface CodeCiphertextLayer {
  kind: 'code-ciphertext';
  ciphertext: string;
  attempts: KeyAttempt[];
  /** The code it decrypts to with the key of the party that opened it, shortened. */
  code?: string;
}

export interface OpaqueLayer {
  kind: 'opaque';
  value: string;
}

/** Someone outside the federation who put a message on a queue: the runner, playing the attacker. */
export type MessageSender = Service | 'attacker' | 'unknown';

/** One message a queue carried while a scenario ran. */
export interface TracedMessage {
  /** The queue it was put on (a refused one is then moved to the party's dead-letter queue). */
  queue: string;
  jobId: string;
  /** inquiry, delivery, answer, result, exchange-record. */
  jobName: string;
  from: MessageSender;
  /** When the runner put it there: the service it claims to come from (`iss`), if readable. */
  claimedFrom?: string;
  /** Whose inbound queue it was put on. */
  to: Service;
  /** When it was put on the queue, or (`timeKind: refused`) when it was refused: a dead letter keeps no earlier time. */
  sentAt: string;
  timeKind: 'sent' | 'refused';
  /** What became of it: processed, refused with the reason, still waiting. */
  outcome: string;
  refused: boolean;
  token: string;
  tokenLength: number;
  /** Parties whose key file the runner held to decode it; the others are reported as not tried. */
  keysHeld: Service[];
  layers: DecodedLayer;
}

/** One party's column in "one exchange, six views". */
export interface PartyColumn {
  party: Service;
  /** How this party knows the citizen, as it stores them (shortened). */
  knowsCitizenAs: string;
  /** Rows written (inserted or updated) to its database while the exchange ran. */
  written: { table: string; rows: Record<string, string | null>[] }[];
  /** Where in its whole database each of the citizen's secrets is (`table.column`); empty when nowhere. */
  secrets: { label: string; expected: boolean; foundAt: string[] }[];
}

export interface ExchangeViewsExhibit {
  kind: 'exchange-views';
  /** `permitted` or `denied`: which of the two the page features. */
  variant: 'permitted' | 'denied';
  title: string;
  /** What the requester saw: answered with the value, denied with the reason. */
  outcome: string;
  startedAt: string;
  finishedAt: string;
  parties: PartyColumn[];
}

export interface JoinAttackExhibit {
  kind: 'join-attack';
  dumps: {
    party: string;
    rows: number;
    profile: string;
    tables: { table: string; rows: number; columns: { name: string; class: ColumnClass }[] }[];
  }[];
  columnPairsTried: number;
  /** Column pairs that shared at least one value, without the linked persons themselves. */
  joins: { left: { party: string; table: string; column: string }; right: { party: string; table: string; column: string }; category: JoinCategory; sharedValues: number; linkedPersons: number }[];
  quasiIdentifierJoins: { left: { party: string; table: string }; right: { party: string; table: string }; columns: string[]; linkedPersons: number }[];
  /** Persons linked by joins on identifiers: the claim is that this is 0. */
  identifierLinks: number;
}

export type Exhibit = ExchangeViewsExhibit | JoinAttackExhibit;
