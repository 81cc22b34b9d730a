import type { Agency, Service } from '@myna/protocol';
import { CODE_ISSUER, EXCHANGE_HUB, MYNA_PORTAL } from '@myna/protocol';

/**
 * The auditor's typed view of each service's database: every question the
 * scenarios ask of a dump, with its SQL written here once, and the rows it
 * answers typed. Scenarios ask these, never SQL of their own. Whole tables
 * (dumps, the join attack) are streamed by `Databases` itself.
 */

type Query = <Row>(service: Service, sql: string, params?: unknown[]) => Promise<Row[]>;

/** A row of the hub's exchange log. */
export interface HubExchange {
  id: string;
  requester: string;
  inquiry_id: string;
  provider: string;
  provider_handle: string | null;
  portal_handle: string;
  status: string;
  reason: string | null;
  record_subject: string | null;
  answer_message_id: string | null;
  created_at: Date;
  closed_at: Date | null;
}

/** The hub's record of a job it refused. */
export interface HubRejectionRow {
  job_id: string;
  job_name: string;
  reason: string;
  detail: string;
  sender: string | null;
}

/** What a party keeps of one exchange, with its stored times in ms since the epoch and rows in physical order (as a dump lists them). */
export interface TimedExchangeRow {
  handle: string;
  requester: string;
  provider: string;
  rule: string;
  [column: string]: string | number | null;
}

/** The portal's record of one exchange. */
export interface PortalRecord {
  handle: string;
  portal_code: string;
  status: string;
  requester: string;
  provider: string;
  rule: string;
}

/** A table's primary-key column type. */
export interface KeyType {
  table_name: string;
  data_type: string;
}

const PRIMARY_KEY_TYPES = `SELECT c.table_name, c.data_type FROM information_schema.table_constraints t
   JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name AND k.table_name = t.table_name
   JOIN information_schema.columns c ON c.table_name = k.table_name AND c.column_name = k.column_name
  WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_name::text = ANY($1::text[])`;

/** The exchange hub's log and rejections. */
export class HubView {
  constructor(private readonly query: Query) {}

  async exchangeCount(): Promise<number> {
    const [row] = await this.query<{ n: number }>(EXCHANGE_HUB, 'SELECT count(*)::int AS n FROM exchange');
    return row.n;
  }

  /** Closed exchanges that still hold a relayed subject (ciphertext): the hub should keep none. */
  async closedKeepingSubjectCount(): Promise<number> {
    const [row] = await this.query<{ n: number }>(EXCHANGE_HUB, 'SELECT count(*)::int AS n FROM exchange WHERE closed_at IS NOT NULL AND record_subject IS NOT NULL');
    return row.n;
  }

  /** How many exchanges the hub opened for these inquiry ids, whoever asked. */
  async exchangeCountForInquiries(inquiryIds: readonly string[]): Promise<number> {
    const [row] = await this.query<{ n: number }>(EXCHANGE_HUB, 'SELECT count(*)::int AS n FROM exchange WHERE inquiry_id = ANY($1::uuid[])', [inquiryIds]);
    return row.n;
  }

  /** The exchange opened for a requester's inquiry, if the hub has one yet. */
  async exchange(requester: string, inquiryId: string): Promise<HubExchange | undefined> {
    return (await this.query<HubExchange>(EXCHANGE_HUB, 'SELECT * FROM exchange WHERE requester = $1 AND inquiry_id = $2', [requester, inquiryId]))[0];
  }

  async exchangeById(id: string): Promise<HubExchange | undefined> {
    return (await this.query<HubExchange>(EXCHANGE_HUB, 'SELECT * FROM exchange WHERE id = $1', [id]))[0];
  }

  /** The status of the exchange opened for an inquiry id, whoever asked. */
  async statusOfInquiry(inquiryId: string): Promise<string | undefined> {
    return (await this.query<{ status: string }>(EXCHANGE_HUB, 'SELECT status FROM exchange WHERE inquiry_id = $1', [inquiryId]))[0]?.status;
  }

  /** Each exchange's handles (the requester's inquiry id, the portal's, the provider's): the auditor's ground truth of which rows belong together. */
  async handles(): Promise<{ inquiry_id: string; provider_handle: string | null; portal_handle: string }[]> {
    return this.query(EXCHANGE_HUB, 'SELECT inquiry_id, provider_handle, portal_handle FROM exchange');
  }

  /** The first rejection of a job, if recorded yet. */
  async rejection(jobId: string): Promise<HubRejectionRow | undefined> {
    return (await this.query<HubRejectionRow>(EXCHANGE_HUB, 'SELECT job_id, job_name, reason, detail, sender FROM rejected_message WHERE job_id = $1 ORDER BY id', [jobId]))[0];
  }
}

/** code-issuer's register and card records. */
export class IssuerView {
  constructor(private readonly query: Query) {}

  async processingSerialOf(myNumber: string): Promise<string | undefined> {
    return (await this.query<{ processing_serial: string }>(CODE_ISSUER, 'SELECT processing_serial FROM citizen WHERE my_number = $1', [myNumber]))[0]?.processing_serial;
  }

  /** Every citizen's identifiers. Held in memory: the hub-breach search needs them all. */
  async registerIdentifiers(): Promise<{ my_number: string; residence_code: string; processing_serial: string }[]> {
    return this.query(CODE_ISSUER, 'SELECT my_number, residence_code, processing_serial FROM citizen');
  }

  /** The kinds of a card's events, oldest first. */
  async cardEvents(certificateSerial: string): Promise<string[]> {
    return (await this.query<{ kind: string }>(CODE_ISSUER, 'SELECT kind FROM card_event WHERE certificate_serial = $1 ORDER BY at', [certificateSerial])).map((row) => row.kind);
  }

  async certificate(serial: string): Promise<{ status: string; suspended_at: Date | null; pin_resets: number } | undefined> {
    return (await this.query<{ status: string; suspended_at: Date | null; pin_resets: number }>(CODE_ISSUER, 'SELECT status, suspended_at, pin_resets FROM card_certificate WHERE serial = $1', [serial]))[0];
  }
}

/** One agency's persons, inquiries and rejections. */
export class AgencyView {
  constructor(
    private readonly query: Query,
    readonly agency: Agency,
  ) {}

  async codeOf(personId: string): Promise<string | undefined> {
    return (await this.query<{ agency_code: string }>(this.agency, 'SELECT agency_code FROM person WHERE id = $1', [personId]))[0]?.agency_code;
  }

  /** Every code the agency holds. Held in memory: the hub-breach search needs them all. */
  async codes(): Promise<string[]> {
    return (await this.query<{ agency_code: string }>(this.agency, 'SELECT agency_code FROM person')).map((row) => row.agency_code);
  }

  async inquiryCount(personId: string): Promise<number> {
    const [row] = await this.query<{ n: number }>(this.agency, 'SELECT count(*)::int AS n FROM inquiry WHERE person_id = $1', [personId]);
    return row.n;
  }

  /** Exchanges this agency provided: to one requester, or under one handle. */
  async providedCount(which: { requester: string } | { handle: string | null }): Promise<number> {
    const [column, value] = 'requester' in which ? ['requester', which.requester] : ['handle', which.handle];
    const [row] = await this.query<{ n: number }>(this.agency, `SELECT count(*)::int AS n FROM provided_exchange WHERE ${column} = $1`, [value]);
    return row.n;
  }

  async rejection(jobId: string): Promise<{ reason: string; detail: string } | undefined> {
    return (await this.query<{ reason: string; detail: string }>(this.agency, 'SELECT reason, detail FROM rejected_message WHERE job_id = $1', [jobId]))[0];
  }

  /** Inquiries made (times: created_at, answered_at), in physical row order. */
  async timedInquiries(): Promise<TimedExchangeRow[]> {
    return this.query(
      this.agency,
      `SELECT id AS handle, $1::text AS requester, provider, rule, extract(epoch FROM created_at) * 1000 AS created_at, extract(epoch FROM answered_at) * 1000 AS answered_at FROM inquiry ORDER BY ctid`,
      [this.agency],
    );
  }

  /** Exchanges provided (time: provided_at), in physical row order. */
  async timedProvided(): Promise<TimedExchangeRow[]> {
    return this.query(
      this.agency,
      `SELECT handle, requester, $1::text AS provider, rule, extract(epoch FROM provided_at) * 1000 AS provided_at FROM provided_exchange ORDER BY ctid`,
      [this.agency],
    );
  }

  async exchangeKeyTypes(): Promise<KeyType[]> {
    return this.query(this.agency, PRIMARY_KEY_TYPES, [['inquiry', 'provided_exchange', 'rejected_message']]);
  }
}

/** The portal's exchange records and self-disclosures. */
export class PortalView {
  constructor(private readonly query: Query) {}

  async record(handle: string): Promise<PortalRecord | undefined> {
    return (await this.query<PortalRecord>(MYNA_PORTAL, 'SELECT handle, portal_code, status, requester, provider, rule FROM exchange_record WHERE handle = $1', [handle]))[0];
  }

  /** Every portal code on record. */
  async codes(): Promise<string[]> {
    return (await this.query<{ code: string }>(MYNA_PORTAL, 'SELECT DISTINCT portal_code AS code FROM exchange_record')).map((row) => row.code);
  }

  async selfDisclosureCount(): Promise<number> {
    return (await this.query<{ n: number }>(MYNA_PORTAL, 'SELECT count(*)::int AS n FROM self_disclosure'))[0].n;
  }

  /** Exchange records (times: at, received_at), in physical row order. */
  async timedRecords(): Promise<TimedExchangeRow[]> {
    return this.query(
      MYNA_PORTAL,
      'SELECT handle, requester, provider, rule, extract(epoch FROM at) * 1000 AS at, extract(epoch FROM received_at) * 1000 AS received_at FROM exchange_record ORDER BY ctid',
    );
  }

  /** Self-disclosures (times: requested_at, answered_at), in physical row order. */
  async timedSelfDisclosures(): Promise<TimedExchangeRow[]> {
    return this.query(
      MYNA_PORTAL,
      `SELECT inquiry_id AS handle, $1::text AS requester, provider, rule, extract(epoch FROM requested_at) * 1000 AS requested_at, extract(epoch FROM answered_at) * 1000 AS answered_at FROM self_disclosure ORDER BY ctid`,
      [MYNA_PORTAL],
    );
  }

  async exchangeKeyTypes(): Promise<KeyType[]> {
    return this.query(MYNA_PORTAL, PRIMARY_KEY_TYPES, [['exchange_record', 'self_disclosure']]);
  }
}
