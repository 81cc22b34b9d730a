import { SERVICES, type Service } from '@myna/protocol';
import { heldKeys, MessageDecoder, type HeldKeys } from '../analysis/message-layers';
import { shown } from '../analysis/shown';
import type { FederationResources } from '../federation/federation-resources';
import type { QueuedMessage } from '../federation/queues';
import type { ScenarioRecorder } from './scenario-recorder';
import type { DecodedLayer, JwsLayer, MessageSender, TracedMessage } from './trace-format';

/** The key files the runner can read: each is decoded with, as the auditor; the others are reported as not held. */
async function keysHeld(resources: FederationResources): Promise<HeldKeys[]> {
  const held: HeldKeys[] = [];
  for (const service of SERVICES) {
    try {
      held.push(heldKeys(await resources.keys.ring(service)));
    } catch {
      // not given to the runner: its messages are shown as that party's key "not held"
    }
  }
  return held;
}

/** The outermost signed layer: under a JWE only if some key opened it. */
function signedLayer(layer: DecodedLayer): JwsLayer | undefined {
  if (layer.kind === 'jws') return layer;
  if (layer.kind === 'jwe' && layer.inner) return signedLayer(layer.inner);
  return undefined;
}

function claimedIssuer(layer: JwsLayer | undefined): string | undefined {
  const iss = layer?.claims.find((claim) => claim.name === 'iss')?.value;
  return iss === undefined ? undefined : iss.replace(/^"|"$/g, '');
}

/** Who sent it: the runner for what it injected; otherwise whoever's key validly signed it. */
function senderOf(queued: QueuedMessage, layers: DecodedLayer): { from: MessageSender; claimedFrom?: string } {
  const signed = signedLayer(layers);
  const claimed = claimedIssuer(signed);
  if (queued.injected) return { from: 'attacker', ...(claimed ? { claimedFrom: claimed } : {}) };
  if (signed?.signature === 'valid' && signed.signer) return { from: signed.signer };
  return { from: 'unknown', ...(claimed ? { claimedFrom: claimed } : {}) };
}

export function messageLine(message: TracedMessage): string {
  const from = message.from === 'attacker' && message.claimedFrom ? `attacker (as ${message.claimedFrom})` : message.from;
  return `${message.jobName}: ${from} → ${message.to} (${message.queue}, job ${shown(message.jobId)}): ${message.outcome}`;
}

/**
 * Reads every message the federation's queues carried since `from`, decodes each
 * with every key file the runner holds, and places them in the scenario's trace.
 * A report aid: a problem reading them is narrated, never a verdict.
 */
export async function captureMessages(resources: FederationResources, recorder: ScenarioRecorder, from: number): Promise<void> {
  try {
    await resources.queues.settle(10_000);
    const queued = (await resources.queues.messagesBetween(from, Date.now())).filter((message) => message.token !== undefined);
    if (queued.length === 0) return;
    const decoder = new MessageDecoder(await keysHeld(resources));
    const decoded: { queued: QueuedMessage; layers: DecodedLayer }[] = [];
    for (const message of queued) decoded.push({ queued: message, layers: await decoder.decode(message.token!) });
    await decoder.resolveCodes((party: Service, codes: string[]) => resources.databases.codesHeld(party, codes));
    for (const { queued: message, layers } of decoded) {
      const traced: TracedMessage = {
        queue: message.queue,
        jobId: message.jobId,
        jobName: message.jobName,
        ...senderOf(message, layers),
        to: message.party,
        sentAt: new Date(message.sentAt).toISOString(),
        timeKind: message.timeKind,
        outcome: message.outcome,
        refused: message.refused,
        token: shown(message.token!),
        tokenLength: message.token!.length,
        keysHeld: decoder.keysHeld,
        layers,
      };
      recorder.message(traced, messageLine(traced));
    }
  } catch (error) {
    recorder.say('runner', `could not read this scenario's messages off the queues for the report: ${error instanceof Error ? error.message : String(error)}`);
  }
}
