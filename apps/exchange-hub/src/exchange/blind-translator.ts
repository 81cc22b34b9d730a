import { Inject, Injectable } from '@nestjs/common';
import { rerandomize, translate, type Ciphertext } from '@myna/codes';
import type { CodeHolder } from '@myna/protocol';
import { HubKeys } from '../hub-keys/hub-keys';

const PORTAL = 'myna-portal' satisfies CodeHolder;

/**
 * The hub's only cryptographic step on subjects: it turns Enc(Y_A, P_A) into
 * Enc(Y_B, P_B) without seeing either code. For a pair the legal table does not
 * permit it holds no factors, and `translate` throws CodesError 'pair-not-permitted'.
 */
@Injectable()
export class BlindTranslator {
  constructor(@Inject(HubKeys) private readonly keys: HubKeys) {}

  forProvider(requester: CodeHolder, provider: CodeHolder, subject: Ciphertext): Ciphertext {
    return translate(this.keys.codes, requester, provider, subject);
  }

  /** The citizen's portal code, encrypted to the portal, for the exchange record. */
  forPortal(requester: CodeHolder, subject: Ciphertext): Ciphertext {
    if (requester !== PORTAL) return translate(this.keys.codes, requester, PORTAL, subject);
    const portalKey = this.keys.codes.publicKeys.get(PORTAL);
    if (!portalKey) throw new Error('the hub bundle has no public key for myna-portal');
    // Already under the portal's key: a fresh randomization keeps the record unlinkable to the inquiry.
    return rerandomize(subject, portalKey);
  }
}
