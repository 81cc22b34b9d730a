import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { SERVICE_KEYS } from '@myna/platform';
import { callService, EXCHANGE_HUB, FederationError, ServiceKeyRing } from '@myna/protocol';
import { PORTAL_SETTINGS, type PortalSettings } from '../portal-settings';

const TIMEOUT_MS = 10_000;
const hash = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const treeHeadSchema = z.object({ size: z.number().int().min(1), root: hash, signed: z.string().min(10).max(2_000) });
const proof = z.array(hash).max(128);
const receiptProofsSchema = z.object({ inclusion: proof, leafHash: hash, fromFirst: proof, fromSince: proof.nullable() });

/** The hub could not give a proof (it is down, or its log cannot make the tree it signed): the citizen is told so. */
export class HubLogUnavailableError extends FederationError {
  constructor(reason: string) {
    super('log-unavailable', reason, 502);
  }
}

/**
 * The hub's log as the portal reads it for a citizen's browser (DESIGN §5, "The
 * log"): signed requests (RFC 9421) to the routes the hub opens to the portal.
 * The portal passes on what it gets; the browser checks it.
 */
@Injectable()
export class HubLogClient {
  constructor(
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
  ) {}

  async latestTreeHead(): Promise<z.infer<typeof treeHeadSchema>> {
    return this.get('/log/tree-head', treeHeadSchema);
  }

  /**
   * What a receipt's holder checks, in one request (the hub proves it in one pass):
   * the inclusion of leaf `index` in the tree of `size`, the hash of the leaf the
   * hub now holds there, and consistency into that tree from the receipt's own tree
   * (`first`) and from the one the browser last verified (`since`).
   */
  async receiptProofs(index: number, size: number, first: number, since?: number): Promise<z.infer<typeof receiptProofsSchema>> {
    const query = new URLSearchParams({ index: String(index), size: String(size), first: String(first), ...(since === undefined ? {} : { since: String(since) }) });
    return this.get(`/log/proofs/receipt?${query}`, receiptProofsSchema);
  }

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    let answer: { status: number; body: Record<string, unknown> };
    try {
      answer = await callService(this.keys, EXCHANGE_HUB, `${this.settings.exchangeHub.url}${path}`, { method: 'GET', timeoutMs: TIMEOUT_MS });
    } catch (error) {
      throw new HubLogUnavailableError(`the exchange hub did not answer: ${error instanceof Error ? error.message : 'unknown error'}`);
    }
    if (answer.status !== 200) {
      const reason = typeof answer.body.reason === 'string' ? answer.body.reason : `it answered ${answer.status}`;
      throw new HubLogUnavailableError(`the exchange hub gave no proof: ${reason}`);
    }
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw new HubLogUnavailableError('the exchange hub answered something that is not a proof');
    return parsed.data;
  }
}
