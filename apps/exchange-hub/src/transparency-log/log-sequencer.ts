import { Inject, Injectable } from '@nestjs/common';
import { encodeHash, encodeLeaf, extendFrontier, frontierRoot, hashLeaf, LOG_ID, signTreeHead, type Frontier, type LogReceipt } from '@myna/protocol';
import type { OutboundMessage } from '../exchange-log/exchange-log.repository';
import type { MessageDraft } from '../exchange-log/outbound-message.entity';
import { HubKeys } from '../hub-keys/hub-keys';
import { TransparencyLogRepository } from './transparency-log.repository';

/**
 * Logs the messages a round sends, in the round's shuffled order, and gives each
 * its receipt (DESIGN §5, "The log"): its own leaf, its index, the nonce opening
 * its commitment, and the head the hub signs over the tree that ends with that
 * leaf. A leaf's index follows the round's order, not the exchange's; each receipt
 * has a head of its own (no two parties keep the same one), timed to the minute.
 */
@Injectable()
export class LogSequencer {
  constructor(
    @Inject(TransparencyLogRepository) private readonly log: TransparencyLogRepository,
    @Inject(HubKeys) private readonly keys: HubKeys,
  ) {}

  /** The messages, in the same order, each draft with its receipt; messages already signed pass unchanged. */
  async issueReceipts(messages: readonly OutboundMessage[]): Promise<OutboundMessage[]> {
    const drafts = messages.filter((message) => message.draft && !message.receipt);
    if (drafts.length === 0) return [...messages];
    const receipts = await this.log.appending(async (manager, frontier) => {
      // A round that died after logging: its receipts stand, under the same leaves.
      const given = await this.log.receiptsOf(manager, drafts.map((message) => message.id));
      const fresh = drafts.filter((message) => !given.has(message.id));
      if (fresh.length === 0) return given;
      const timestamp = Math.floor(Date.now() / 60_000) * 60_000;
      const issued = new Map<string, LogReceipt>(given);
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
        issued.set(message.id, { leaf, index: tree.size - 1, nonce: draft.nonce, treeHead: signed });
      }
      await this.log.append(manager, frontier.size, leaves, heads, new Map(fresh.map((message) => [message.id, issued.get(message.id) as LogReceipt])));
      return issued;
    });
    return messages.map((message) => {
      const receipt = receipts.get(message.id);
      return receipt ? { ...message, receipt } : message;
    });
  }
}
