import { HttpStatus } from '@nestjs/common';
import { FederationError } from '@myna/protocol';

export type LoginRefusal =
  | 'challenge-invalid'
  | 'certificate-invalid'
  | 'signature-invalid'
  | 'certificate-suspended'
  | 'certificate-revoked'
  | 'certificate-expired'
  | 'issuer-unavailable'
  | 'too-many-sign-ins';

/** What the citizen is told, in the portal's words (with the Japanese term where it helps). */
export const LOGIN_REFUSALS: Readonly<Record<LoginRefusal, { status: HttpStatus; message: string }>> = {
  'challenge-invalid': {
    status: HttpStatus.UNAUTHORIZED,
    message: 'This sign-in attempt has expired, was already used, or was started in another browser. Please sign in again.',
  },
  'certificate-invalid': {
    status: HttpStatus.UNAUTHORIZED,
    message: "The card's certificate was not issued by the card issuer (J-LIS), or has expired.",
  },
  'signature-invalid': {
    status: HttpStatus.UNAUTHORIZED,
    message: "The card's signature does not match its certificate.",
  },
  'certificate-suspended': {
    status: HttpStatus.FORBIDDEN,
    message:
      "Sign-in refused: this card's certificate is suspended (一時停止). It was reported through the suspension hotline, and a suspended card cannot be used to sign in.",
  },
  'certificate-revoked': {
    status: HttpStatus.FORBIDDEN,
    message: "Sign-in refused: this card's certificate has been revoked (失効). Use your current card.",
  },
  'certificate-expired': {
    status: HttpStatus.FORBIDDEN,
    message: "Sign-in refused: this card's certificate has expired (有効期限切れ). Renew it at your municipal office.",
  },
  'too-many-sign-ins': {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: 'Too many people are signing in right now. Please try again in a minute.',
  },
  'issuer-unavailable': {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: "The card issuer could not confirm the certificate's status right now, so sign-in is refused. Please try again later.",
  },
};

/** A refused sign-in. The message is for the citizen and names no identifier; `detail` is for the log only. */
export class LoginRefusedError extends FederationError {
  constructor(
    override readonly code: LoginRefusal,
    readonly detail?: string,
  ) {
    super(code, LOGIN_REFUSALS[code].message, LOGIN_REFUSALS[code].status);
  }
}
