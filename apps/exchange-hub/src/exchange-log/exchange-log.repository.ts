import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, Raw, type FindOptionsSelect } from 'typeorm';
import { RejectedMessage } from '@myna/messaging';
import { BoundedMap, entityColumns, preparedStatement, runPrepared, type PreparedStatement } from '@myna/platform';
import type { CodeHolder } from '@myna/protocol';
import { ExchangeEntity, type ExchangeState } from './exchange.entity';
import { OutboundMessageEntity } from './outbound-message.entity';
import { SeenMessageEntity } from './seen-message.entity';

/** The columns anyone with the auditor's view may read: metadata, never a handle, a ciphertext or a token. */
export interface ExchangeSummary {
  id: string;
  requester: CodeHolder;
  provider: CodeHolder;
  rule: string;
  item: string;
  status: ExchangeState;
  reason: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

const SUMMARY_COLUMNS = {
  id: true, requester: true, provider: true, rule: true, item: true, status: true, reason: true, createdAt: true, closedAt: true,
} satisfies FindOptionsSelect<ExchangeEntity>;

export interface SeenMessage {
  id: string;
  sender: string;
  jobId: string;
  expiresAt: Date;
}

/** A message to send, with its id (also its job id). */
export type OutboundMessage = Pick<OutboundMessageEntity, 'id' | 'recipient' | 'jobName' | 'token' | 'draft' | 'receipt'>;

export type NewExchange = Pick<
  ExchangeEntity,
  'id' | 'requester' | 'inquiryId' | 'inquiryJobId' | 'provider' | 'portalHandle' | 'rule' | 'item' | 'reason'
> &
  (
    | { status: 'delivered'; providerHandle: string; recordSubject: string; closedAt: null }
    | { status: 'denied'; providerHandle: null; recordSubject: null; closedAt: Date }
  );

/** What an answer needs of the exchange it closes. */
export type AnswerableExchange = Pick<
  ExchangeEntity,
  'id' | 'requester' | 'inquiryId' | 'provider' | 'providerHandle' | 'portalHandle' | 'rule' | 'item' | 'status' | 'recordSubject' | 'closedAt'
>;

/** How many open exchanges a hub process remembers having opened; past it, the oldest are read back when their answer comes. */
const OPEN_EXCHANGES_REMEMBERED = 10_000;

export interface ExchangeClosing {
  status: 'answered' | 'no-record' | 'expired';
  /** The provider's answer; null when the exchange expired unanswered. */
  answerMessageId: string | null;
  reason?: string;
  closedAt: Date;
}

/** How long a round may hold claimed messages before another round takes them over. */
const CLAIM_TIMEOUT_MS = 60_000;

/**
 * A CTE body queueing messages, only when the CTE `after` returned a row, from the
 * six arrays of outboundColumns at parameters `$first` to `$first + 5`.
 */
function queueOutboundAfter(after: string, first: number): string {
  const [id, recipient, jobName, token, draft, receipt] = Array.from({ length: 6 }, (_, i) => `$${first + i}`);
  return `
         INSERT INTO outbound_message (id, recipient, job_name, token, draft, receipt)
         SELECT message.id, message.recipient, message.job_name, message.token, message.draft, message.receipt
           FROM unnest(${id}::uuid[], ${recipient}::text[], ${jobName}::text[], ${token}::text[], ${draft}::jsonb[], ${receipt}::jsonb[]) AS message (id, recipient, job_name, token, draft, receipt)
          WHERE EXISTS (SELECT 1 FROM ${after})
         ON CONFLICT (id) DO NOTHING
       `;
}

/** Messages to queue as the six arrays a statement unnests: id, recipient, job name, token, draft, receipt. */
function outboundColumns(outbound: readonly OutboundMessage[]): unknown[] {
  return [
    outbound.map((message) => message.id),
    outbound.map((message) => message.recipient),
    outbound.map((message) => message.jobName),
    outbound.map((message) => message.token),
    outbound.map((message) => (message.draft ? JSON.stringify(message.draft) : null)),
    outbound.map((message) => (message.receipt ? JSON.stringify(message.receipt) : null)),
  ];
}

/** Records a new exchange (open()). */
const OPEN = preparedStatement(
  `WITH seen AS (
     INSERT INTO seen_message (sender, id, job_id, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sender, id) DO NOTHING RETURNING id
   ), opened AS (
     INSERT INTO exchange (id, requester, inquiry_id, inquiry_job_id, provider, provider_handle, portal_handle, rule, item, status, reason, record_subject, closed_at)
     SELECT $5::uuid, $6::text, $7::uuid, $8::text, $9::text, $10::uuid, $11::uuid, $12::text, $13::text, $14::text, $15::text, $16::text, $17::timestamptz FROM seen
     RETURNING id
   ), queued AS (${queueOutboundAfter('opened', 18)})
   SELECT count(*)::int AS recorded FROM opened`,
);

/** Closes a delivered exchange (close()). */
const CLOSE = preparedStatement(
  `WITH open AS (
     SELECT id FROM exchange WHERE id = $1 AND status = 'delivered' FOR UPDATE
   ), seen AS (
     INSERT INTO seen_message (sender, id, job_id, expires_at)
     SELECT $7::text, $8::text, $9::text, $10::timestamptz FROM open WHERE $6::boolean
     ON CONFLICT (sender, id) DO NOTHING RETURNING id
   ), closed AS (
     UPDATE exchange SET status = $2, answer_message_id = $3, closed_at = $4, reason = coalesce($5::text, reason), record_subject = NULL
      WHERE id IN (SELECT id FROM open) AND (NOT $6::boolean OR EXISTS (SELECT 1 FROM seen))
     RETURNING id
   ), queued AS (${queueOutboundAfter('closed', 11)})
   SELECT (SELECT count(*)::int FROM open) AS open, (SELECT count(*)::int FROM closed) AS closed`,
);

const DELETE_OUTBOUND = preparedStatement('DELETE FROM outbound_message WHERE id = ANY($1::uuid[])');

/** The hub's own database: `exchange`, `outbound_message`, `seen_message`, `rejected_message`. */
@Injectable()
export class ExchangeLogRepository {
  /** The exchange table's columns under the entity's names, for the plain SELECT of the answer path. */
  private readonly exchangeColumns: string;
  private readonly byProviderHandle: PreparedStatement;
  /**
   * The exchanges this process opened and has not closed, by provider handle: an answer
   * finds its exchange without reading it back. Only a hint: closing is still conditional
   * on the stored status, and another process (or this one after a restart) reads it.
   */
  private readonly openedHere = new BoundedMap<string, AnswerableExchange>(OPEN_EXCHANGES_REMEMBERED);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.exchangeColumns = entityColumns(dataSource, ExchangeEntity);
    this.byProviderHandle = preparedStatement(`SELECT ${this.exchangeColumns} FROM exchange WHERE provider_handle = $1`);
  }

  findSeen(sender: string, messageId: string): Promise<SeenMessageEntity | null> {
    return this.dataSource.getRepository(SeenMessageEntity).findOneBy({ sender, id: messageId });
  }

  findExchange(exchangeId: string): Promise<ExchangeEntity | null> {
    return this.dataSource.getRepository(ExchangeEntity).findOneBy({ id: exchangeId });
  }

  /** The exchange an answer closes: remembered if this process opened it, else one plain statement. */
  async findByProviderHandle(handle: string): Promise<AnswerableExchange | null> {
    const opened = this.openedHere.get(handle);
    if (opened) return opened;
    const [row] = await runPrepared<ExchangeEntity[]>(this.dataSource, this.byProviderHandle, [handle]);
    return row ?? null;
  }

  findByInquiry(requester: string, inquiryId: string): Promise<ExchangeEntity | null> {
    return this.dataSource.getRepository(ExchangeEntity).findOneBy({ requester: requester as CodeHolder, inquiryId });
  }

  /**
   * Records a new exchange, marks its inquiry seen and queues its messages, all or
   * nothing. Of two jobs carrying the same inquiry only one records it; the other
   * gets 'already-seen'. One statement, so one round trip instead of five (begin, three
   * inserts, commit): the exchange and its messages are inserted only from the row
   * the seen-inquiry insert returned, so an inquiry already seen writes nothing.
   */
  async open(exchange: NewExchange, outbound: readonly OutboundMessage[], seen: SeenMessage): Promise<'recorded' | 'already-seen'> {
    const rows = await runPrepared<{ recorded: number }[]>(this.dataSource, OPEN, [
        seen.sender, seen.id, seen.jobId, seen.expiresAt,
        exchange.id, exchange.requester, exchange.inquiryId, exchange.inquiryJobId, exchange.provider, exchange.providerHandle, exchange.portalHandle,
        exchange.rule, exchange.item, exchange.status, exchange.reason, exchange.recordSubject, exchange.closedAt,
      ...outboundColumns(outbound),
    ]);
    if (rows[0]?.recorded !== 1) return 'already-seen';
    if (exchange.status === 'delivered') this.openedHere.set(exchange.providerHandle, exchange);
    return 'recorded';
  }

  /**
   * Closes a delivered exchange, with the provider's answer (marked seen in the same
   * statement) or as expired, deletes the record subject it kept, and queues the
   * closing messages. 'not-open' when it is no longer delivered (another answer or
   * the expiry closed it first), 'already-seen' when this answer was recorded by
   * another job; either way nothing is written. One statement: the exchange row is
   * locked first (waiting for a concurrent closing, then read again), the answer is
   * marked seen only from that row, the exchange is closed only from the seen
   * row, and the messages are queued only from the closed row.
   */
  async close(
    exchange: Pick<ExchangeEntity, 'id' | 'providerHandle'>,
    closing: ExchangeClosing,
    outbound: readonly OutboundMessage[],
    seen?: SeenMessage,
  ): Promise<'closed' | 'not-open' | 'already-seen'> {
    const rows = await runPrepared<{ open: number; closed: number }[]>(this.dataSource, CLOSE, [
        exchange.id, closing.status, closing.answerMessageId, closing.closedAt, closing.reason ?? null,
        seen !== undefined, seen?.sender ?? null, seen?.id ?? null, seen?.jobId ?? null, seen?.expiresAt ?? null,
      ...outboundColumns(outbound),
    ]);
    // Closed now, or found closed: either way no longer open.
    if (exchange.providerHandle) this.openedHere.delete(exchange.providerHandle);
    if (rows[0]?.open !== 1) return 'not-open';
    return rows[0].closed === 1 ? 'closed' : 'already-seen';
  }

  /**
   * Claims up to `limit` queued messages for one round: those queued before
   * `queuedBefore` that no live round holds.
   */
  async claimOutbound(queuedBefore: Date, limit: number): Promise<OutboundMessage[]> {
    // TypeORM answers an UPDATE with [rows, count].
    type Row = { id: string; recipient: string; job_name: string; token: string | null; draft: OutboundMessage['draft']; receipt: OutboundMessage['receipt'] };
    const [rows]: [Row[], number] = await this.dataSource.query(
      `UPDATE outbound_message SET claimed_at = now()
        WHERE id IN (
          SELECT id FROM outbound_message
           WHERE queued_at < $1 AND (claimed_at IS NULL OR claimed_at < $2)
           LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, recipient, job_name, token, draft, receipt`,
      [queuedBefore, new Date(Date.now() - CLAIM_TIMEOUT_MS), limit],
    );
    return rows.map((row) => ({ id: row.id, recipient: row.recipient, jobName: row.job_name, token: row.token, draft: row.draft, receipt: row.receipt }));
  }

  /** Forgets messages once they are on their queues: their ciphertexts leave the hub's database with them. */
  async deleteOutbound(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await runPrepared(this.dataSource, DELETE_OUTBOUND, [[...ids]]);
  }

  listExchanges(limit: number, status?: ExchangeState): Promise<ExchangeSummary[]> {
    return this.dataSource.getRepository(ExchangeEntity).find({
      select: SUMMARY_COLUMNS,
      where: status ? { status } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: limit,
    });
  }

  findSummary(exchangeId: string): Promise<ExchangeSummary | null> {
    return this.dataSource.getRepository(ExchangeEntity).findOne({ select: SUMMARY_COLUMNS, where: { id: exchangeId } });
  }

  listRejections(limit: number): Promise<RejectedMessage[]> {
    return this.dataSource.getRepository(RejectedMessage).find({ order: { receivedAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /**
   * Delivered exchanges older than `deliveredBefore`, oldest first: those nobody answered in time.
   * The status is written into the statement, not bound, so that PostgreSQL uses the index of open exchanges whatever plan it caches.
   */
  overdueExchanges(deliveredBefore: Date, limit: number): Promise<ExchangeEntity[]> {
    return this.dataSource.getRepository(ExchangeEntity).find({
      where: { status: Raw((column) => `${column} = 'delivered'`), createdAt: LessThan(deliveredBefore) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  /**
   * Forgets accepted message ids whose messages expired before `before`, a batch at a
   * time (short transactions beside the exchange traffic). Returns how many.
   */
  async pruneSeenMessages(before: Date, batchSize = 5_000): Promise<number> {
    return this.deleteInBatches('seen_message', 'ctid', 'expires_at < $1', [before], batchSize);
  }

  /** The retention period: exchanges closed, and rejections received, before `before` are deleted. */
  async pruneLog(before: Date, batchSize = 5_000): Promise<{ exchanges: number; rejections: number }> {
    return {
      exchanges: await this.deleteInBatches('exchange', 'id', 'closed_at < $1', [before], batchSize),
      rejections: await this.deleteInBatches('rejected_message', 'id', 'received_at < $1', [before], batchSize),
    };
  }

  private async deleteInBatches(table: string, key: string, condition: string, params: unknown[], batchSize: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      // TypeORM answers a DELETE with [rows, count].
      const [, affected]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${condition} LIMIT ${Number(batchSize)})`,
        params,
      );
      deleted += affected ?? 0;
      if ((affected ?? 0) < batchSize) return deleted;
    }
  }
}
