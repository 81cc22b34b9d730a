import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { exportJWK, type KeyLike } from 'jose';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Access, CurrentPrincipal, Public, RateLimit, type Principal } from '@myna/platform';
import { EXCHANGE_HUB, FederationError, readTreeHead, ServiceKeyRing, type LogReceipt } from '@myna/protocol';
import { SERVICE_KEYS } from '@myna/platform';
import { ExchangeRecord } from '../exchange-records/exchange-record.entity';
import { HubLogClient, HubLogUnavailableError } from './hub-log.client';
import { PORTAL_ASSETS } from '../pages/assets/portal-assets';

class RecordHandleDto {
  @IsUUID()
  handle!: string;
}

class SinceQueryDto {
  /** The size of the tree head this browser last verified. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  since?: number;
}

class NoReceiptError extends FederationError {
  constructor() {
    super('no-receipt', 'no record of yours with a receipt from the hub’s log has that handle', 404);
  }
}

type Citizen = Extract<Principal, { kind: 'citizen' }>;

/** What the citizen's browser checks: everything it needs, none of it trusted until checked there. */
export interface LogProofBundle {
  receipt: Pick<LogReceipt, 'leaf' | 'index' | 'nonce' | 'treeHead'>;
  latest: string;
  inclusion: string[];
  /** The hash of the leaf the hub now holds at the record's index. */
  storedLeafHash: string;
  fromReceipt: string[];
  since: { size: number; proof: string[] } | null;
  /** The hub's signing key, from the portal's key directory (a JWK, Ed25519). */
  hubKey: Record<string, unknown>;
}

/**
 * "Verify" on the records page (DESIGN §5, "The log"): the portal fetches, for one
 * of the citizen's own records, the hub's newest signed tree head, the inclusion
 * proof of the record's leaf, and consistency proofs from the record's own tree
 * head and from the one this browser last verified; the browser script checks
 * the hub's signatures and the proofs itself.
 */
@ApiExcludeController()
@Controller()
export class LogVerificationController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(HubLogClient) private readonly hub: HubLogClient,
    @Inject(SERVICE_KEYS) private readonly keys: ServiceKeyRing,
  ) {}

  @Get('records/:handle/log-proof')
  @Access({ citizen: {} })
  // The hub computes each proof over its whole log: one citizen may not keep it busy.
  @RateLimit('log-proof')
  async proof(@CurrentPrincipal() citizen: Citizen, @Param() params: RecordHandleDto, @Query() query: SinceQueryDto): Promise<LogProofBundle> {
    const record = await this.dataSource.getRepository(ExchangeRecord).findOneBy({ handle: params.handle, portalCode: citizen.portalCode });
    if (!record?.receipt) throw new NoReceiptError();
    const { leaf, index, nonce, treeHead } = record.receipt;
    const latest = await this.hub.latestTreeHead();
    const receiptSize = readTreeHead(treeHead).size;
    const since = query.since !== undefined && query.since <= latest.size ? query.since : undefined;
    // A receipt newer than the newest head cannot be: asked from the newest head itself, its consistency proof is empty, and the browser's check fails.
    const proofs = await this.hub.receiptProofs(index, latest.size, Math.min(receiptSize, latest.size), since);
    return {
      receipt: { leaf, index, nonce, treeHead },
      latest: latest.signed,
      inclusion: proofs.inclusion,
      storedLeafHash: proofs.leafHash,
      fromReceipt: proofs.fromFirst,
      since: since !== undefined && proofs.fromSince ? { size: since, proof: proofs.fromSince } : null,
      hubKey: await this.hubKey(latest.signed),
    };
  }

  @Get('assets/log-verify.js')
  @Public('the records page’s script that checks the hub’s log in the browser')
  script(@Res() response: Response): void {
    PORTAL_ASSETS.send(response, 'log-verify.js');
  }

  /** The public key the hub's tree head names, if the portal's directory gives it to the hub. */
  private async hubKey(signed: string): Promise<Record<string, unknown>> {
    const header = JSON.parse(Buffer.from(signed.split('.')[0], 'base64url').toString('utf8')) as { kid?: string };
    const verifier = this.keys.verifierFor(header.kid);
    if (!verifier || verifier.service !== EXCHANGE_HUB) throw new HubLogUnavailableError('the newest tree head is not signed by a key of the exchange hub');
    const { kty, crv, x } = await exportJWK(verifier.key as KeyLike);
    return { kty, crv, x };
  }
}
