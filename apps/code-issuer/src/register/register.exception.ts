/** Why the register refused a citizen. Bad fields never get this far: the DTOs refuse them. */
export type RegisterRefusal = 'duplicate-my-number' | 'duplicate-residence-code';

export const REGISTER_REFUSAL_MESSAGES: Readonly<Record<RegisterRefusal, string>> = {
  'duplicate-my-number': 'a citizen with this My Number is already registered',
  'duplicate-residence-code': 'a citizen with this residence code is already registered',
};

/** A registration the register cannot accept. Its message never echoes an identifier. */
export class RegisterException extends Error {
  override readonly name = 'RegisterException';

  constructor(readonly reason: RegisterRefusal) {
    super(REGISTER_REFUSAL_MESSAGES[reason]);
  }
}
