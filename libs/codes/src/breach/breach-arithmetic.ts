/**
 * The arithmetic an attacker holding scalars can do, for audits that try it on
 * real codes (hub-breach): multiply and invert secrets, and move a code by one.
 */
import { AgencyCode } from '../agency-code';
import { invertScalar, multiply, multiplyScalars } from '../group';
import { SecretScalar } from '../secret-scalar';

export function scalarProduct(a: SecretScalar, b: SecretScalar): SecretScalar {
  return SecretScalar.fromScalar(multiplyScalars(a.reveal(), b.reveal()));
}

export function scalarInverse(a: SecretScalar): SecretScalar {
  return SecretScalar.fromScalar(invertScalar(a.reveal()));
}

/** factor · P: where a code lands when multiplied by a scalar. */
export function scaleCode(code: AgencyCode, factor: SecretScalar): AgencyCode {
  return AgencyCode.fromGroupElement(multiply(code.groupElement(), factor.reveal()));
}
