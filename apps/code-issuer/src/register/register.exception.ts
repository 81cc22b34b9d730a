import { FederationError } from '@myna/protocol';

/** Why the register refused a citizen. Bad fields never get this far: the DTOs refuse them. */
export type RegisterRefusal = 'duplicate-my-number' | 'duplicate-residence-code';

export const REGISTER_REFUSAL_MESSAGES: Readonly<Record<RegisterRefusal, string>> = {
  'duplicate-my-number': 'a citizen with this My Number is already registered',
  'duplicate-residence-code': 'a citizen with this residence code is already registered',
};

/** A registration the register cannot accept: a conflict with what is registered. Never echoes an identifier. */
export class RegisterException extends FederationError {
  constructor(override readonly code: RegisterRefusal) {
    super(code, REGISTER_REFUSAL_MESSAGES[code], 409);
  }
}
