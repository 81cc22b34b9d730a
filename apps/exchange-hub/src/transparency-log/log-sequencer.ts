import { Inject, Injectable } from '@nestjs/common';
import { encodeHash, encodeLeaf, extendFrontier, frontierRoot, hashLeaf, LOG_ID, signTreeHead, type Frontier, type LogReceipt } from '@myna/protocol';
import type { OutboundMessage } from '../exchange-log/exchange-log.repository';
import type { MessageDraft } from '../exchange-log/outbound-message.entity';
import { Coalescer } from '../coalescer';
import { HubKeys } from '../hub-keys/hub-keys';
import { SentMessages } from '../exchange/sent-messages';
import { TransparencyLogRepository } from './transparency-log.repository';

/** How often an append may find its indices taken by another hub process before the round fails (and is retried by its job). */
const APPEND_ATTEMPTS = 20;

/**
 * Logs the messages a round sends, in the round's shuffled order, and gives each
 * its receipt (DESIGN §5, "The log"): its own leaf, its index, the nonce opening
 * its commitment, and the head the hub signs over the tree that ends with that
 * leaf. A leaf's index follows the round's order, not the exchange's; each receipt
 * has a head of its own (no two parties keep the same one), timed to the minute.
 * Handlers that ask at the same time share one append.
 */
@Injectable()
export class LogSequencer {
  /** Concurrent handlers share an append (two round trips for all of them), each message's leaf in the order its handler gave it. */
  private readonly appends = new Coalescer<OutboundMessage, Map<string, LogReceipt>>((drafts) => this.appendAll(drafts));

  constructor(
    @Inject(TransparencyLogRepository) private readonly log: TransparencyLogRepository,
    @Inject(HubKeys) private readonly keys: HubKeys,
    @Inject(SentMessages) private readonly sent: SentMessages,
  ) {}

  /** The messages, in the same order, each draft with its receipt; messages already signed pass unchanged. */
  async issueReceipts(messages: readonly OutboundMessage[]): Promise<OutboundMessage[]> {
    const drafts = messages.filter((message) => message.draft && !message.receipt);
    if (drafts.length === 0) return [...messages];
    const receipts = await this.appends.run(drafts);
    return messages.map((message) => {
      const receipt = receipts.get(message.id);
      return receipt ? { ...message, receipt } : message;
    });
  }

  private async appendAll(drafts: readonly OutboundMessage[]): Promise<Map<string, LogReceipt>> {
    for (let attempt = 1; ; attempt++) {
      const { frontier, given } = await this.log.startAppend(drafts.map((message) => message.id));
      // A round that died after logging: its receipts stand, under the same leaves.
      const fresh = [...new Map(drafts.filter((message) => !given.has(message.id)).map((message) => [message.id, message])).values()];
      if (fresh.length === 0) return given;
      const timestamp = Math.floor(Date.now() / 60_000) * 60_000;
      const receipts = new Map<string, LogReceipt>();
      const leaves: string[] = [];
      const heads: { frontier: Frontier; root: string; signed: string }[] = [];
      let tree = frontier;
      for (const message of fresh) {
        const draft = message.draft as MessageDraft;
        const leaf = encodeLeaf(draft.leaf);
        tree = extendFrontier(tree, [hashLeaf(leaf)]);
        const root = encodeHash(frontierRoot(tree));
        const signed = await signTreeHead(this.keys.ring, { log: LOG_ID, size: tree.size, root, timestamp });
        leaves.push(leaf);
        heads.push({ frontier: tree, root, signed });
        receipts.set(message.id, { leaf, index: tree.size - 1, nonce: draft.nonce, treeHead: signed });
      }
      // The same statement deletes the rows of messages already sent.
      const forgotten = this.sent.take();
      const appended = await this.log.append(frontier.size, leaves, heads, receipts, forgotten).catch((error: unknown) => {
        this.sent.add(forgotten);
        throw error;
      });
      if (appended === 'appended') return new Map([...given, ...receipts]);
      this.sent.add(forgotten);
      // Another hub process appended after this one read the head: start again from the newer head.
      if (attempt >= APPEND_ATTEMPTS) throw new Error(`the transparency log was appended to by others ${APPEND_ATTEMPTS} times in a row while this process signed`);
    }
  }
}
