import { Inject, Injectable } from '@nestjs/common';
import { readdressToSelf, translate, type Ciphertext } from '@myna/codes';
import type { CodeHolder } from '@myna/protocol';
import { HubKeys } from '../hub-keys/hub-keys';
import { MYNA_PORTAL } from '@myna/protocol';

const PORTAL = MYNA_PORTAL satisfies CodeHolder;

/**
 * The hub's only cryptographic step on subjects: along a permitted edge it turns
 * Enc(Y_A→B, P_A) into Enc(Y_B←A, P_B←A) without seeing either code. For an edge
 * the legal table does not permit it holds no factors, and `translate` throws
 * CodesError 'pair-not-permitted'.
 */
@Injectable()
export class BlindTranslator {
  constructor(@Inject(HubKeys) private readonly keys: HubKeys) {}

  forProvider(requester: CodeHolder, provider: CodeHolder, subject: Ciphertext): Ciphertext {
    return translate(this.keys.codes, requester, provider, subject);
  }

  /** The citizen's portal code for the exchange record: along the requester's edge to the portal, or back to the portal itself. */
  forPortal(requester: CodeHolder, recordSubject: Ciphertext): Ciphertext {
    if (requester === PORTAL) return readdressToSelf(this.keys.codes, PORTAL, recordSubject);
    return translate(this.keys.codes, requester, PORTAL, recordSubject);
  }
}
