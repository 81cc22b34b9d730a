import { Inject, Injectable } from '@nestjs/common';
import { RequestSignatureError, verifyServiceRequest, type Service, type ServiceKeyRing } from '@myna/protocol';
import { SERVICE_KEYS } from '../config/service-config.token';
import { InvalidCredentialsError } from './access.exception';
import type { Principal } from './principal';

/** Nonces seen within their signature's lifetime; beyond this many, the oldest are forgotten early. */
const MAX_REMEMBERED_NONCES = 100_000;

export interface IncomingRequest {
  method: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody?: Buffer;
}

/**
 * Authenticates a service calling this one by its request signature, and refuses
 * a signed request seen before (key id and nonce, until the signature expires).
 * The nonce memory is per process: a replay to another process of the same
 * service within the 60 seconds is caught only by the route's own idempotence.
 */
@Injectable()
export class ServiceRequests {
  private readonly seen = new Map<string, number>();

  constructor(@Inject(SERVICE_KEYS) private readonly ring: ServiceKeyRing | null) {}

  async authenticate(request: IncomingRequest): Promise<Extract<Principal, { kind: 'service' }>> {
    if (!this.ring) throw new InvalidCredentialsError('this service accepts no service requests');
    let verified;
    try {
      verified = await verifyServiceRequest(this.ring, this.ring.service as Service, {
        method: request.method,
        url: `http://service${request.originalUrl}`,
        headers: request.headers,
        rawBody: request.rawBody,
      });
    } catch (error) {
      if (error instanceof RequestSignatureError) throw new InvalidCredentialsError(error.message);
      throw error;
    }
    this.forgetExpired();
    const key = `${verified.keyId} ${verified.nonce}`;
    if (this.seen.has(key)) throw new InvalidCredentialsError('this signed request was already received (replayed)');
    this.seen.set(key, verified.expires);
    return { kind: 'service', service: verified.service };
  }

  private forgetExpired(): void {
    const now = Date.now() / 1000;
    for (const [key, expires] of this.seen) {
      if (expires < now || this.seen.size > MAX_REMEMBERED_NONCES) this.seen.delete(key);
      else break;
    }
  }
}
